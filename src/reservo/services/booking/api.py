"""HTTP routes of the booking service."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.routing import APIRoute

from reservo.platform.auth.deps import Anyone, SignedIn, TenantStaff
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.http.problems import RateLimited, VersionConflict, problem_responses
from reservo.platform.schemas import Money
from reservo.platform.tenancy import TenantNotFound, TenantSuspended
from reservo.services.booking.deps import AccessToken, Availability, Bookings, Lifecycle, Queries, Tenant
from reservo.services.booking.errors import (
    AlreadyCancelled,
    BeyondBookingWindow,
    BookingNotFound,
    IllegalTransition,
    InsideLeadTime,
    InvalidRange,
    OfferingNotBookable,
    OfferingNotFound,
    QuantityOutOfRange,
    SlotInPast,
    SlotUnavailable,
    SoldOut,
    StartNotAllowed,
    StartRequired,
    TooManyHolds,
    VariantNotFound,
)
from reservo.services.booking.models import Booking
from reservo.services.booking.schemas import (
    AvailabilityRead,
    BookingAction,
    BookingCreate,
    BookingRead,
    BookingStatus,
    CustomerRead,
    StatsRead,
)
from reservo.services.booking.service import is_staff

router = APIRouter(prefix="/api/v1", tags=["bookings"])
T = "/tenants/{tenant}"
RangeParam = Annotated[str, Query(max_length=40, description="date (offering-local) or datetime with offset")]


def _read(b: Booking) -> BookingRead:
    return BookingRead(
        id=b.id,
        tenant_id=b.tenant_id,
        offering_id=b.offering_id,
        offering_name=b.offering_name,
        kind=b.kind,
        variant_id=b.variant_id,
        start=b.starts_at,
        end=b.ends_at,
        status=b.status,
        quantity=b.quantity,
        unit_price=Money(amount=b.unit_amount, currency=b.currency),
        total=Money(amount=b.total_amount, currency=b.currency),
        tax_rate_bp=b.tax_rate_bp,
        customer=CustomerRead(name=b.customer_name, email=b.customer_email, phone=b.customer_phone),
        notes=b.notes,
        sms_consent=b.sms_consent,
        expires_at=b.expires_at,
        created_at=b.created_at,
        confirmed_at=b.confirmed_at,
        cancelled_at=b.cancelled_at,
        cancellation_reason=b.cancellation_reason,
        refund=None if b.refund_amount is None else Money(amount=b.refund_amount, currency=b.currency),
        version=b.version,
        customer_user_id=b.customer_user_id,
        access_token=getattr(b, "access_token", None),
    )


class _ServerTimed(APIRoute):
    """Answers `Server-Timing: app;dur=<ms>`: the route's whole handling inside the app, from before
    its parameters and dependencies are solved (the tenant, the caller, the service) through the
    endpoint's computation and encoding to the response object (D15-65). Not in it: uvicorn's
    parsing and sending, the ASGI middleware (no I/O for a GET) and the wait for the event loop."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def timed(request: Request) -> Response:
            started = time.perf_counter()
            response = await handler(request)
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
            return response

        return timed


async def get_availability(
    tenant: Tenant,
    offering_id: uuid.UUID,
    actor: Anyone,
    availability: Availability,
    from_: Annotated[str, Query(alias="from", max_length=40, description="date or datetime with offset")],
    to: RangeParam,
    variant: uuid.UUID | None = None,
) -> Response:
    if not is_staff(actor, tenant):
        tenant.check_open()  # the storefront of a suspended tenant shows nothing to book
    # Serialized by the service (AvailabilityRead's JSON, built from slots serialized once).
    body = await availability.slots(tenant, offering_id, from_, to, variant)
    return Response(body, media_type="application/json")


router.add_api_route(
    T + "/offerings/{offering_id}/availability",
    get_availability,
    methods=["GET"],
    responses=problem_responses(
        TenantNotFound, TenantSuspended, OfferingNotFound, VariantNotFound, InvalidRange
    ),
    response_model=AvailabilityRead,
    response_model_by_alias=True,
    route_class_override=_ServerTimed,
)


@router.post(
    T + "/bookings",
    status_code=201,
    responses=problem_responses(
        TenantNotFound,
        TenantSuspended,
        OfferingNotFound,
        OfferingNotBookable,
        VariantNotFound,
        QuantityOutOfRange,
        StartRequired,
        StartNotAllowed,
        SlotUnavailable,
        SlotInPast,
        InsideLeadTime,
        BeyondBookingWindow,
        SoldOut,
        TooManyHolds,
        RateLimited,
    ),
)
async def create_booking(
    body: BookingCreate,
    tenant: Tenant,
    actor: Anyone,
    bookings: Bookings,
    request: Request,
    response: Response,
) -> BookingRead:
    """An unpaid hold until `expires_at` (the offering's hold length). Per customer email and per
    client, unpaid holds are limited (409 `too_many_holds`, 429 `rate_limited`)."""
    started = time.perf_counter()
    client = request.client.host if request.client else "unknown"
    booking = await bookings.create(tenant, actor, body, client)
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    return _read(booking)


@router.get(T + "/bookings", responses=problem_responses(TenantNotFound, InvalidRange))
async def list_bookings(
    tenant: Tenant,
    _: TenantStaff,
    queries: Queries,
    page: PageQuery,
    status: BookingStatus | None = None,
    offering_id: uuid.UUID | None = None,
    email: Annotated[str | None, Query(max_length=320)] = None,
    from_: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    to: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[BookingRead]:
    items, cursor = await queries.page(
        tenant, page, status=status, offering_id=offering_id, email=email, frm=from_, to=to
    )
    return Page[BookingRead](items=[_read(b) for b in items], next_cursor=cursor)


@router.get(T + "/bookings/{booking_id}", responses=problem_responses(TenantNotFound, BookingNotFound))
async def get_booking(
    tenant: Tenant, booking_id: uuid.UUID, actor: Anyone, token: AccessToken, bookings: Bookings
) -> BookingRead:
    """Staff of the tenant, the signed-in customer who booked, or a guest with the booking's token."""
    return _read(await bookings.get(tenant, booking_id, actor, token))


@router.get("/bookings/{booking_id}", responses=problem_responses(BookingNotFound))
async def find_booking(
    booking_id: uuid.UUID, actor: Anyone, token: AccessToken, bookings: Bookings
) -> BookingRead:
    """A booking by id alone, for the same callers as above (the payment service asks this when a
    booking was made a moment ago and its event has not reached payment yet)."""
    return _read(await bookings.find(booking_id, actor, token))


TRANSITION_ERRORS = problem_responses(TenantNotFound, BookingNotFound, IllegalTransition, VersionConflict)


@router.post(
    T + "/bookings/{booking_id}/cancel",
    responses=problem_responses(
        TenantNotFound, BookingNotFound, IllegalTransition, AlreadyCancelled, VersionConflict
    ),
)
async def cancel_booking(
    tenant: Tenant,
    booking_id: uuid.UUID,
    actor: Anyone,
    token: AccessToken,
    lifecycle: Lifecycle,
    body: BookingAction | None = None,
) -> BookingRead:
    """The customer (guest token or signed-in owner) or staff; `booking.cancelled` carries the refund."""
    version, reason = (body.version, body.reason) if body else (None, None)
    return _read(await lifecycle.cancel(tenant, booking_id, version, actor, token, reason))


@router.post(T + "/bookings/{booking_id}/confirm", responses=TRANSITION_ERRORS)
async def confirm_booking(
    tenant: Tenant,
    booking_id: uuid.UUID,
    _: TenantStaff,
    lifecycle: Lifecycle,
    body: BookingAction | None = None,
) -> BookingRead:
    """Staff mark a pending booking as paid at the venue."""
    return _read(await lifecycle.confirm(tenant, booking_id, body.version if body else None))


@router.post(T + "/bookings/{booking_id}/complete", responses=TRANSITION_ERRORS)
async def complete_booking(
    tenant: Tenant,
    booking_id: uuid.UUID,
    _: TenantStaff,
    lifecycle: Lifecycle,
    body: BookingAction | None = None,
) -> BookingRead:
    return _read(await lifecycle.complete(tenant, booking_id, body.version if body else None))


@router.post(T + "/bookings/{booking_id}/no-show", responses=TRANSITION_ERRORS)
async def mark_no_show(
    tenant: Tenant,
    booking_id: uuid.UUID,
    _: TenantStaff,
    lifecycle: Lifecycle,
    body: BookingAction | None = None,
) -> BookingRead:
    return _read(await lifecycle.no_show(tenant, booking_id, body.version if body else None))


@router.get("/me/bookings")
async def my_bookings(actor: SignedIn, queries: Queries, page: PageQuery) -> Page[BookingRead]:
    """The signed-in customer's bookings in every tenant, by start."""
    items, cursor = await queries.mine(actor.user_id, page)
    slugs = await queries.tenant_slugs({b.tenant_id for b in items})
    reads = [_read(b).model_copy(update={"tenant_slug": slugs.get(b.tenant_id)}) for b in items]
    return Page[BookingRead](items=reads, next_cursor=cursor)


@router.get(T + "/stats", responses=problem_responses(TenantNotFound, InvalidRange))
async def get_stats(
    tenant: Tenant,
    _: TenantStaff,
    queries: Queries,
    from_: Annotated[
        str | None, Query(alias="from", max_length=40, description="default: 30 days before `to`")
    ] = None,
    to: Annotated[str | None, Query(max_length=40, description="default: now")] = None,
) -> StatsRead:
    """Bookings by status, revenue by currency (confirmed and completed), occupancy per offering.
    Without a range: the last 30 days."""
    return await queries.stats(tenant, from_, to)
