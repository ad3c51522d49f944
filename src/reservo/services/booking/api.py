"""HTTP routes of the booking service."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from reservo.platform.auth.deps import Anyone, TenantStaff
from reservo.platform.http.problems import problem_responses
from reservo.platform.schemas import Money
from reservo.platform.tenancy import TenantNotFound
from reservo.services.booking.deps import Bookings, Tenant
from reservo.services.booking.errors import BookingNotFound, OfferingNotBookable, OfferingNotFound, SoldOut
from reservo.services.booking.models import Booking
from reservo.services.booking.schemas import BookingCreate, BookingRead, CustomerRead

router = APIRouter(prefix="/api/v1/tenants/{tenant}", tags=["bookings"])


def _read(b: Booking) -> BookingRead:
    return BookingRead(
        id=b.id,
        offering_id=b.offering_id,
        status=b.status,
        quantity=b.quantity,
        total=Money(amount=b.total_amount, currency=b.currency),
        customer=CustomerRead(name=b.customer_name, email=b.customer_email),
        expires_at=b.expires_at,
        created_at=b.created_at,
    )


@router.post(
    "/bookings",
    status_code=201,
    responses=problem_responses(TenantNotFound, OfferingNotFound, OfferingNotBookable, SoldOut),
)
async def create_booking(
    body: BookingCreate, tenant: Tenant, actor: Anyone, bookings: Bookings
) -> BookingRead:
    return _read(await bookings.create(tenant, actor, body))


@router.get("/bookings/{booking_id}", responses=problem_responses(TenantNotFound, BookingNotFound))
async def get_booking(
    tenant: Tenant, booking_id: uuid.UUID, _: TenantStaff, bookings: Bookings
) -> BookingRead:
    return _read(await bookings.get(tenant, booking_id))
