"""Events of the location service.

Every event carries the location's whole public state (name, address, coordinates, Google place id and
a map link), so a consumer's replica is a replace-by-newer upsert keyed by `id` and ordered by
`version`. Nothing secret: an address a business shows its customers. `LocationState` extends the
platform's location-replica contract (platform/locations.py), which notification and receipt keep.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from reservo.platform.events.envelope import Event, register
from reservo.platform.locations import (
    LOCATION_CREATED,
    LOCATION_DELETED,
    LOCATION_UPDATED,
    PlaceReplicated,
)


def map_url(latitude: float, longitude: float, place_id: str | None = None) -> str:
    """A Google Maps link that works without an API key (Maps URLs, `api=1` search form)."""
    params = {"api": "1", "query": f"{latitude:.6f},{longitude:.6f}"}
    if place_id:
        params["query_place_id"] = place_id
    return "https://www.google.com/maps/search/?" + urlencode(params)


# id, tenant_id, version (replicas ignore anything not newer), name, address, map_url and deleted are
# the platform's (`PlaceReplicated`); the rest is the location service's.
class LocationState(PlaceReplicated):
    latitude: float
    longitude: float
    place_id: str | None = None
    updated_at: datetime


class _LocationEvent(Event):
    location: LocationState

    @property
    def key(self) -> str:
        return str(self.location.id)


@register
class LocationCreated(_LocationEvent):
    TYPE = LOCATION_CREATED


@register
class LocationUpdated(_LocationEvent):
    TYPE = LOCATION_UPDATED


@register
class LocationDeleted(_LocationEvent):
    """The location is gone (`deleted: true`); consumers drop it from what they show."""

    TYPE = LOCATION_DELETED
