"""Events of the location service.

Every event carries the location's whole public state (name, address, coordinates, Google place id and
a map link), so a consumer's replica is a replace-by-newer upsert keyed by `id` and ordered by
`version`. Nothing secret: an address a business shows its customers.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from urllib.parse import urlencode

from pydantic import BaseModel

from reservo.platform.events.envelope import Event, register


def map_url(latitude: float, longitude: float, place_id: str | None = None) -> str:
    """A Google Maps link that works without an API key (Maps URLs, `api=1` search form)."""
    params = {"api": "1", "query": f"{latitude:.6f},{longitude:.6f}"}
    if place_id:
        params["query_place_id"] = place_id
    return "https://www.google.com/maps/search/?" + urlencode(params)


class LocationState(BaseModel):
    id: uuid.UUID
    tenant_id: uuid.UUID
    version: int  # location's row version; replicas ignore anything not newer
    name: str
    address: str
    latitude: float
    longitude: float
    place_id: str | None = None
    map_url: str
    deleted: bool = False
    updated_at: datetime


class _LocationEvent(Event):
    location: LocationState

    @property
    def key(self) -> str:
        return str(self.location.id)


@register
class LocationCreated(_LocationEvent):
    TYPE = "location.location.created"


@register
class LocationUpdated(_LocationEvent):
    TYPE = "location.location.updated"


@register
class LocationDeleted(_LocationEvent):
    """The location is gone (`deleted: true`); consumers drop it from what they show."""

    TYPE = "location.location.deleted"
