"""Base schemas (C12): inputs reject unknown fields; money is minor units plus ISO 4217 currency."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"], description="ISO 4217 code")]


def _zone(value: str) -> str:
    if value not in _ZONES:
        raise ValueError(f"unknown IANA time zone '{value}'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone '{value}'") from exc
    return value


_ZONES = available_timezones() | {"UTC"}
TimeZoneName = Annotated[str, Field(max_length=64, examples=["Europe/Berlin"]), AfterValidator(_zone)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Money(BaseModel):
    amount: Annotated[int, Field(ge=0, le=100_000_000_00, description="minor units, e.g. cents")]
    currency: Currency
