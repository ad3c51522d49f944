"""Request and response bodies of the location service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from reservo.platform.schemas import Input, Output

Latitude = Annotated[float, Field(ge=-90, le=90, examples=[52.52])]
Longitude = Annotated[float, Field(ge=-180, le=180, examples=[13.405])]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Address = Annotated[str, Field(min_length=1, max_length=500)]
PlaceId = Annotated[str, Field(min_length=1, max_length=300, pattern=r"^[A-Za-z0-9_-]+$")]
SessionToken = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="the autocomplete session's token (one per typing session, e.g. a UUID)",
    ),
]
Source = Literal["manual", "geocoded", "reverse", "place"]


def _pair(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise PydanticCustomError("coordinates_pair", "give both `latitude` and `longitude`, or neither")


class LocationCreate(Input):
    """One of: `place_id` (looked up with Places), `address` (geocoded unless coordinates are given),
    or coordinates alone (reverse geocoded). Without a maps API key, give address and coordinates."""

    name: Name
    address: Address | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    place_id: PlaceId | None = None
    session_token: SessionToken | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LocationCreate:
        _pair(self.latitude, self.longitude)
        return self


class LocationUpdate(Input):
    """Fields to change. A new `place_id` or a new `address` without coordinates is looked up again."""

    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None, description="the version read: a concurrent change answers 409"
    )
    name: Name | None = None
    address: Address | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    place_id: PlaceId | None = None
    session_token: SessionToken | None = None

    @model_validator(mode="after")
    def _consistent(self) -> LocationUpdate:
        _pair(self.latitude, self.longitude)
        return self


class LocationRead(Output):
    id: uuid.UUID
    version: int
    name: str
    address: str
    latitude: float
    longitude: float
    place_id: str | None
    map_url: str = Field(description="a Google Maps link to the place")
    source: Source
    created_at: datetime
    updated_at: datetime


class SuggestionRead(Output):
    place_id: str
    text: str
    main_text: str | None
    secondary_text: str | None


class Autocomplete(Output):
    enabled: bool = Field(description="false: no maps API is configured; enter the address by hand")
    suggestions: list[SuggestionRead]
