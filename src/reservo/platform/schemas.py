"""Base schemas (C12): inputs reject unknown fields; money is minor units plus ISO 4217 currency.

Bounds live here, declared in the schemas (D9b-2): instants and dates between 2000 and 2099, money up
to 10^10 minor units, ISO 4217 currencies and IANA zone names only. Anything outside is a 422 at the
edge, so no arithmetic deeper down overflows (year 1 minus a day, year 9999 plus one).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from importlib.resources import files
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import email_validator
import pycountry
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

# `.test` (RFC 6761) is reserved for testing, and testers and the probe sign up with it: the schema
# says `format: email`, which it satisfies. email-validator documents editing this list.
if "test" in email_validator.SPECIAL_USE_DOMAIN_NAMES:
    email_validator.SPECIAL_USE_DOMAIN_NAMES.remove("test")

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
BOUNDS = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"
MAX_AMOUNT = 100_000_000_00  # minor units: 100 million in a two-decimal currency

# Codes in ISO 4217 that are not money one can be paid in: precious metals, fund and test codes.
_NOT_MONEY = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)


@cache
def currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies) - _NOT_MONEY


def _currency(value: str) -> str:
    if value not in currencies():
        raise ValueError(f"'{value}' is not an ISO 4217 currency code")
    return value


Currency = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", examples=["EUR"], description="ISO 4217 code"),
    AfterValidator(_currency),
]


@cache
def zones() -> frozenset[str]:
    """IANA zone names as shipped by tzdata, without `Factory` (not a place); `localtime` and
    `posixrules` are files of some systems' zoneinfo, never IANA names."""
    return frozenset((files("tzdata") / "zones").read_text().split()) - {"Factory"}


def _zone(value: str) -> str:
    if value not in zones():
        raise ValueError(f"unknown IANA time zone '{value}'")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone '{value}'") from exc
    return value


TimeZoneName = Annotated[str, Field(max_length=64, examples=["Europe/Berlin"]), AfterValidator(_zone)]


def in_bounds(day: date) -> bool:
    return EARLIEST <= day <= LATEST


def _bounded_day(value: date) -> date:
    if not in_bounds(value):
        raise ValueError(f"dates must be {BOUNDS}")
    return value


def _bounded_instant(value: datetime) -> datetime:
    # The local date first: converting year 1 or 9999 with an offset to UTC would itself overflow.
    if not in_bounds(value.date()) or not in_bounds(value.astimezone(UTC).date()):
        raise ValueError(f"instants must be {BOUNDS}")
    return value


Day = Annotated[date, AfterValidator(_bounded_day), Field(description=f"a date {BOUNDS}")]
Instant = Annotated[
    AwareDatetime, AfterValidator(_bounded_instant), Field(description=f"with offset, {BOUNDS}")
]


# A wall-clock time without offset ("09:00"): JSON Schema's `format: time` demands an offset, so the
# schema says what is really sent and answered.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
            "description": "local wall-clock time, HH:MM[:SS], no offset",
            "examples": ["09:00"],
        }
    ),
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Money(BaseModel):
    amount: Annotated[int, Field(ge=0, le=MAX_AMOUNT, description="minor units, e.g. cents")]
    currency: Currency
