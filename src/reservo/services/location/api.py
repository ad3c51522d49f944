"""HTTP routes of the location service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from reservo.platform.auth.deps import Anyone, TenantStaff
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.http.problems import Forbidden, Unauthorized, VersionConflict, problem_responses
from reservo.platform.tenancy import TenantNotFound
from reservo.services.location.deps import Locations, Tenant
from reservo.services.location.errors import (
    AddressNotFound,
    AddressRequired,
    CoordinatesRequired,
    GeocodingDenied,
    GeocodingInvalidRequest,
    GeocodingQuotaExceeded,
    GeocodingUnavailable,
    LocationInUse,
    LocationNotFound,
    MapsNotConfigured,
)
from reservo.services.location.models import Location
from reservo.services.location.schemas import (
    Autocomplete,
    LocationCreate,
    LocationRead,
    LocationUpdate,
    SessionToken,
    SuggestionRead,
)
from reservo.services.location.service import state_of

router = APIRouter(prefix="/api/v1/tenants/{tenant}/locations", tags=["locations"])

STAFF_ONLY = (TenantNotFound, Unauthorized, Forbidden)
LOOKUP = (
    AddressRequired,
    CoordinatesRequired,
    MapsNotConfigured,
    AddressNotFound,
    GeocodingInvalidRequest,
    GeocodingQuotaExceeded,
    GeocodingDenied,
    GeocodingUnavailable,
)


def _read(location: Location) -> LocationRead:
    return LocationRead.model_validate({**location.__dict__, "map_url": state_of(location).map_url})


@router.post("", status_code=201, responses=problem_responses(*STAFF_ONLY, *LOOKUP))
async def create_location(
    body: LocationCreate, tenant: Tenant, _: TenantStaff, locations: Locations
) -> LocationRead:
    """A new location from a Google place id, an address, or coordinates (see the body's fields)."""
    return _read(await locations.create(tenant, body))


@router.get("", responses=problem_responses(*STAFF_ONLY))
async def list_locations(
    tenant: Tenant, _: TenantStaff, page: PageQuery, locations: Locations
) -> Page[LocationRead]:
    """The tenant's locations, oldest first."""
    items, cursor = await locations.page(tenant, page)
    return Page[LocationRead](items=[_read(item) for item in items], next_cursor=cursor)


@router.get(
    "/autocomplete",
    responses=problem_responses(*STAFF_ONLY, GeocodingQuotaExceeded, GeocodingDenied, GeocodingUnavailable),
)
async def autocomplete_address(
    tenant: Tenant,
    _: TenantStaff,
    locations: Locations,
    input: Annotated[str, Query(min_length=1, max_length=200, description="what the user typed")],
    session_token: Annotated[SessionToken | None, Query()] = None,
) -> Autocomplete:
    """Address suggestions from Places (New). `enabled: false` when no maps API is configured: the
    client then shows plain address and coordinate fields. Send the suggestion's `place_id` and the
    same `session_token` to create the location."""
    found = await locations.autocomplete(input, session_token)
    return Autocomplete(
        enabled=locations.maps.enabled, suggestions=[SuggestionRead.model_validate(s) for s in found]
    )


@router.get("/{location_id}", responses=problem_responses(TenantNotFound, LocationNotFound))
async def get_location(
    tenant: Tenant, location_id: uuid.UUID, _: Anyone, locations: Locations
) -> LocationRead:
    """One location: public, as its address is shown with every offering held there."""
    return _read(await locations.get(tenant, location_id))


@router.patch(
    "/{location_id}", responses=problem_responses(*STAFF_ONLY, LocationNotFound, VersionConflict, *LOOKUP)
)
async def update_location(
    tenant: Tenant, location_id: uuid.UUID, body: LocationUpdate, _: TenantStaff, locations: Locations
) -> LocationRead:
    return _read(await locations.update(tenant, location_id, body))


@router.delete(
    "/{location_id}",
    status_code=204,
    responses=problem_responses(*STAFF_ONLY, LocationNotFound, LocationInUse),
)
async def delete_location(
    tenant: Tenant, location_id: uuid.UUID, _: TenantStaff, locations: Locations
) -> Response:
    """Delete a location no offering uses (409 `location_in_use` otherwise)."""
    await locations.delete(tenant, location_id)
    return Response(status_code=204)
