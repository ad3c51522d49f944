"""HTTP routes of the catalog service."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from reservo.contracts.events.catalog import OfferingState
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.deps import Anyone, TenantStaff
from reservo.platform.http.pagination import Page, PageParams, decode_cursor
from reservo.platform.http.problems import (
    Forbidden,
    InvalidCursor,
    Unauthorized,
    VersionConflict,
    problem_responses,
)
from reservo.platform.schemas import MAX_AMOUNT, Day
from reservo.platform.tenancy import TenantNotFound, TenantRef, TenantSuspended
from reservo.services.catalog.deps import Offerings, Tenant
from reservo.services.catalog.errors import (
    CurrencyMismatch,
    InvalidIfMatch,
    InvalidNear,
    LocationUnknown,
    OfferingNotFound,
    StatusFilterForbidden,
    VersionRequired,
)
from reservo.services.catalog.models import LocationReplica, Offering
from reservo.services.catalog.places import Near
from reservo.services.catalog.repository import OfferingFilter
from reservo.services.catalog.schemas import (
    DiscoveredOffering,
    Kind,
    OfferingCreate,
    OfferingRead,
    OfferingUpdate,
    Status,
)
from reservo.services.catalog.service import NearCursor, OfferingService, state_of

router = APIRouter(prefix="/api/v1/tenants/{tenant}", tags=["offerings"])
discover_router = APIRouter(prefix="/api/v1/discover", tags=["offerings"])

STAFF_ONLY = (TenantNotFound, Unauthorized, Forbidden)

IfMatch = Annotated[
    str | None, Header(description="The offering version you read (its ETag), e.g. `3`", max_length=40)
]


def _fields(o: Offering, place: LocationReplica | None, distance: float | None = None) -> dict[str, Any]:
    return {
        **o.__dict__,
        "price": {"amount": o.price_amount, "currency": o.currency},
        "location": place.__dict__ if place is not None else None,
        "distance_km": round(distance, 3) if distance is not None else None,
    }


def _read(
    o: Offering, places: dict[uuid.UUID, LocationReplica], response: Response | None = None
) -> OfferingRead:
    if response is not None:
        response.headers["ETag"] = f'"{o.version}"'
    return OfferingRead.model_validate(_fields(o, places.get(o.location_id) if o.location_id else None))


async def _one(offerings: OfferingService, o: Offering, response: Response) -> OfferingRead:
    return _read(o, await offerings.locations([o]), response)


_NEAR = Query(
    max_length=60,
    pattern=r"^\s*-?\d{1,3}(\.\d+)?\s*,\s*-?\d{1,3}(\.\d+)?\s*$",
    description="`latitude,longitude`: only offerings whose location is within `radius_km`, closest first",
    examples=["52.52,13.405"],
)
NearQuery = Annotated[str | None, _NEAR]
RadiusQuery = Annotated[float, Query(gt=0, le=1000, description="with `near`: the search radius")]


def _near(near: str, radius_km: float) -> Near:
    lat, lng = (float(part) for part in near.split(","))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise InvalidNear("latitude is -90..90, longitude -180..180")
    return Near(lat, lng, radius_km)


def _near_cursor(cursor: NearCursor | None) -> str | None:
    if cursor is None:
        return None
    raw = json.dumps([cursor.distance_km, str(cursor.id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _parse_near_cursor(cursor: str | None) -> NearCursor | None:
    if not cursor:
        return None
    try:
        distance, last = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return NearCursor(float(distance), uuid.UUID(str(last)))
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, RecursionError) as exc:
        raise InvalidCursor() from exc


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    # ASCII digits only: str.isdigit() is true for "²", which int() then refuses.
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise InvalidIfMatch()
    return int(value)


def _is_staff(actor: Actor | None, tenant: TenantRef) -> bool:
    return actor is not None and (actor.is_admin or actor.role_in(tenant.slug) in (Role.staff, Role.owner))


@router.post(
    "/offerings", status_code=201, responses=problem_responses(*STAFF_ONLY, CurrencyMismatch, LocationUnknown)
)
async def create_offering(
    body: OfferingCreate, tenant: Tenant, _: TenantStaff, offerings: Offerings, response: Response
) -> OfferingRead:
    """Create a product, service (appointment) or event; it is `published` unless `status: draft`."""
    return await _one(offerings, await offerings.create(tenant, body), response)


@router.get(
    "/offerings",
    responses=problem_responses(
        TenantNotFound, TenantSuspended, StatusFilterForbidden, InvalidNear, InvalidCursor
    ),
)
async def list_offerings(
    tenant: Tenant,
    actor: Anyone,
    offerings: Offerings,
    limit: Annotated[int, Query(ge=1, le=200, description="Items per page")] = 50,
    cursor: Annotated[str | None, Query(max_length=512, description="Opaque cursor from next_cursor")] = None,
    kind: Kind | None = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    min_price: Annotated[
        int | None, Query(ge=0, le=MAX_AMOUNT, description="base price, minor units")
    ] = None,
    max_price: Annotated[
        int | None, Query(ge=0, le=MAX_AMOUNT, description="base price, minor units")
    ] = None,
    date: Annotated[Day | None, Query(description="open on this local date")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="words in name, description, category")
    ] = None,
    status: Annotated[list[Status] | None, Query(description="staff only; default: published")] = None,
    near: NearQuery = None,
    radius_km: RadiusQuery = 25.0,
) -> Page[OfferingRead]:
    """Browse offerings, oldest first (with `near`: closest first). The public sees published ones;
    staff may ask for any `status`."""
    if not _is_staff(actor, tenant):
        tenant.check_open()
    statuses = tuple(status or ["published"])
    if statuses != ("published",) and not _is_staff(actor, tenant):
        raise StatusFilterForbidden()
    where = OfferingFilter(statuses, kind, category, min_price, max_price, date, q)
    if near is not None:
        rows, after = await offerings.near(
            tenant, where, _near(near, radius_km), limit, _parse_near_cursor(cursor)
        )
        items = [OfferingRead.model_validate(_fields(o, place, d)) for o, place, d in rows]
        return Page[OfferingRead](items=items, next_cursor=_near_cursor(after))
    page = PageParams(limit=limit, cursor=decode_cursor(cursor))
    found, next_cursor = await offerings.page(tenant, page, where)
    places = await offerings.locations(found)
    return Page[OfferingRead](items=[_read(o, places) for o in found], next_cursor=next_cursor)


@discover_router.get("", responses=problem_responses(InvalidNear, InvalidCursor))
async def discover_offerings(
    _: Anyone,
    offerings: Offerings,
    near: Annotated[str, _NEAR],
    radius_km: RadiusQuery = 25.0,
    q: Annotated[
        str | None, Query(max_length=200, description="words in name, description, category")
    ] = None,
    kind: Kind | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> Page[DiscoveredOffering]:
    """Published offerings of every business near a point, closest first."""
    where = OfferingFilter(kind=kind, q=q)
    rows, after = await offerings.near(None, where, _near(near, radius_km), limit, _parse_near_cursor(cursor))
    tenants = await offerings.tenants({o.tenant_id for o, _, _ in rows})
    items = [
        DiscoveredOffering.model_validate({**_fields(o, place, d), "tenant": tenants[o.tenant_id]})
        for o, place, d in rows
        if o.tenant_id in tenants
    ]
    return Page[DiscoveredOffering](items=items, next_cursor=_near_cursor(after))


@router.get(
    "/offerings/{offering_id}", responses=problem_responses(TenantNotFound, TenantSuspended, OfferingNotFound)
)
async def get_offering(
    tenant: Tenant, offering_id: uuid.UUID, actor: Anyone, offerings: Offerings, response: Response
) -> OfferingRead:
    """One offering; drafts and archived offerings are visible to the tenant's staff only."""
    if not _is_staff(actor, tenant):
        tenant.check_open()
    return await _one(
        offerings, await offerings.get(tenant, offering_id, staff=_is_staff(actor, tenant)), response
    )


@router.get("/offerings/{offering_id}/state", responses=problem_responses(TenantNotFound, OfferingNotFound))
async def get_offering_state(
    tenant: Tenant, offering_id: uuid.UUID, _: Anyone, offerings: Offerings
) -> OfferingState:
    """A published offering as `catalog.offering.*` events carry it: booking fills its read-model
    from this when a client books an offering whose event has not reached booking yet."""
    return state_of(await offerings.get(tenant, offering_id))


@router.patch(
    "/offerings/{offering_id}",
    responses=problem_responses(
        *STAFF_ONLY,
        OfferingNotFound,
        VersionConflict,
        VersionRequired,
        InvalidIfMatch,
        CurrencyMismatch,
        LocationUnknown,
    ),
)
async def update_offering(
    tenant: Tenant,
    offering_id: uuid.UUID,
    body: OfferingUpdate,
    _: TenantStaff,
    offerings: Offerings,
    response: Response,
    if_match: IfMatch = None,
) -> OfferingRead:
    """Change fields. Optimistic locking: send the version you read (`If-Match` or `version`)."""
    return await _one(
        offerings, await offerings.update(tenant, offering_id, body, _version(if_match)), response
    )


@router.post(
    "/offerings/{offering_id}/publish",
    responses=problem_responses(*STAFF_ONLY, OfferingNotFound, VersionConflict, InvalidIfMatch),
)
async def publish_offering(
    tenant: Tenant,
    offering_id: uuid.UUID,
    _: TenantStaff,
    offerings: Offerings,
    response: Response,
    if_match: IfMatch = None,
) -> OfferingRead:
    offering = await offerings.set_status(tenant, offering_id, "published", _version(if_match))
    return await _one(offerings, offering, response)


@router.post(
    "/offerings/{offering_id}/archive",
    responses=problem_responses(*STAFF_ONLY, OfferingNotFound, VersionConflict, InvalidIfMatch),
)
async def archive_offering(
    tenant: Tenant,
    offering_id: uuid.UUID,
    _: TenantStaff,
    offerings: Offerings,
    response: Response,
    if_match: IfMatch = None,
) -> OfferingRead:
    """Stop selling it; it stays visible to staff and can be published again."""
    offering = await offerings.set_status(tenant, offering_id, "archived", _version(if_match))
    return await _one(offerings, offering, response)


@router.delete(
    "/offerings/{offering_id}",
    status_code=204,
    responses=problem_responses(*STAFF_ONLY, OfferingNotFound, VersionConflict, InvalidIfMatch),
)
async def delete_offering(
    tenant: Tenant, offering_id: uuid.UUID, _: TenantStaff, offerings: Offerings, if_match: IfMatch = None
) -> Response:
    """Soft delete: hidden from every read from now on (404); booking hears `deleted: true`."""
    await offerings.delete(tenant, offering_id, _version(if_match))
    return Response(status_code=204)
