"""HTTP routes of the catalog service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from reservo.contracts.events.catalog import OfferingState
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.deps import Anyone, TenantStaff
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.http.problems import Forbidden, Unauthorized, VersionConflict, problem_responses
from reservo.platform.schemas import MAX_AMOUNT, Day
from reservo.platform.tenancy import TenantNotFound, TenantRef, TenantSuspended
from reservo.services.catalog.deps import Offerings, Tenant
from reservo.services.catalog.errors import (
    CurrencyMismatch,
    InvalidIfMatch,
    OfferingNotFound,
    StatusFilterForbidden,
    VersionRequired,
)
from reservo.services.catalog.models import Offering
from reservo.services.catalog.repository import OfferingFilter
from reservo.services.catalog.schemas import Kind, OfferingCreate, OfferingRead, OfferingUpdate, Status
from reservo.services.catalog.service import state_of

router = APIRouter(prefix="/api/v1/tenants/{tenant}", tags=["offerings"])

STAFF_ONLY = (TenantNotFound, Unauthorized, Forbidden)

IfMatch = Annotated[
    str | None, Header(description="The offering version you read (its ETag), e.g. `3`", max_length=40)
]


def _read(o: Offering, response: Response | None = None) -> OfferingRead:
    if response is not None:
        response.headers["ETag"] = f'"{o.version}"'
    return OfferingRead.model_validate(
        {**o.__dict__, "price": {"amount": o.price_amount, "currency": o.currency}}
    )


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


@router.post("/offerings", status_code=201, responses=problem_responses(*STAFF_ONLY, CurrencyMismatch))
async def create_offering(
    body: OfferingCreate, tenant: Tenant, _: TenantStaff, offerings: Offerings, response: Response
) -> OfferingRead:
    """Create a product, service (appointment) or event; it is `published` unless `status: draft`."""
    return _read(await offerings.create(tenant, body), response)


@router.get("/offerings", responses=problem_responses(TenantNotFound, TenantSuspended, StatusFilterForbidden))
async def list_offerings(
    tenant: Tenant,
    actor: Anyone,
    page: PageQuery,
    offerings: Offerings,
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
) -> Page[OfferingRead]:
    """Browse offerings, oldest first. The public sees published ones; staff may ask for any `status`."""
    if not _is_staff(actor, tenant):
        tenant.check_open()
    statuses = tuple(status or ["published"])
    if statuses != ("published",) and not _is_staff(actor, tenant):
        raise StatusFilterForbidden()
    where = OfferingFilter(statuses, kind, category, min_price, max_price, date, q)
    items, cursor = await offerings.page(tenant, page, where)
    return Page[OfferingRead](items=[_read(o) for o in items], next_cursor=cursor)


@router.get(
    "/offerings/{offering_id}", responses=problem_responses(TenantNotFound, TenantSuspended, OfferingNotFound)
)
async def get_offering(
    tenant: Tenant, offering_id: uuid.UUID, actor: Anyone, offerings: Offerings, response: Response
) -> OfferingRead:
    """One offering; drafts and archived offerings are visible to the tenant's staff only."""
    if not _is_staff(actor, tenant):
        tenant.check_open()
    return _read(await offerings.get(tenant, offering_id, staff=_is_staff(actor, tenant)), response)


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
        *STAFF_ONLY, OfferingNotFound, VersionConflict, VersionRequired, InvalidIfMatch, CurrencyMismatch
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
    return _read(await offerings.update(tenant, offering_id, body, _version(if_match)), response)


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
    return _read(offering, response)


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
    return _read(offering, response)


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
