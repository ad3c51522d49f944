"""Request and response bodies of the booking service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field

from reservo.contracts.booking import BookingStatus
from reservo.platform.schemas import Input, Instant, Money, Output

__all__ = ["BookingStatus"]  # the API's status is the contract's


class Customer(Input):
    # One line: the name is greeted in emails (no control characters, no line breaks).
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")]
    email: EmailStr
    phone: Annotated[str | None, Field(max_length=40, pattern=r"^\+?[0-9 ()./-]{3,40}$")] = None


class BookingCreate(Input):
    offering_id: uuid.UUID
    variant_id: uuid.UUID | None = None
    start: Annotated[
        Instant | None,
        Field(description="start of the appointment slot or event session (UTC); none for products"),
    ] = None
    quantity: Annotated[int, Field(ge=1, le=100)] = 1
    customer: Customer
    notes: Annotated[str | None, Field(max_length=2000)] = None
    sms_consent: bool = Field(
        default=False, description="the customer agrees to SMS reminders on customer.phone (needs a phone)"
    )


class BookingAction(Input):
    """Body of cancel/confirm/complete/no-show; `version`, if given, must be the current one."""

    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None
    reason: Annotated[str | None, Field(max_length=500)] = None


class CustomerRead(Output):
    name: str
    email: str
    phone: str | None = None


class BookingRead(Output):
    id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_slug: str | None = Field(default=None, description="set in /me/bookings, for links to the booking")
    offering_id: uuid.UUID
    offering_name: str
    kind: str
    variant_id: uuid.UUID | None
    start: datetime | None
    end: datetime | None
    status: BookingStatus
    quantity: int
    unit_price: Money
    total: Money
    tax_rate_bp: int
    customer: CustomerRead
    notes: str | None
    sms_consent: bool = False
    expires_at: datetime
    created_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    cancellation_reason: str | None = Field(default=None, description="as given when it was cancelled")
    refund: Money | None
    version: int
    customer_user_id: uuid.UUID | None = Field(
        default=None, description="the signed-in customer; none for a guest"
    )
    access_token: str | None = Field(
        default=None,
        description="guests only, in the creation response only: send it as X-Booking-Token to view, "
        "pay or cancel this booking",
    )


class SlotRead(Output):
    start: datetime
    end: datetime
    remaining: int


class AvailabilityRead(Output):
    offering_id: uuid.UUID
    kind: str
    timezone: str
    variant_id: uuid.UUID | None
    price: Money
    from_: Annotated[datetime, Field(alias="from")]
    to: datetime
    slots: list[SlotRead]
    remaining: int | None = Field(description="products: stock left (null: unlimited)")
    next_from: datetime | None = Field(
        default=None,
        description="set when the answer stopped at its slot limit: ask again with `from` = this instant",
    )


class StatusCount(Output):
    status: str
    count: int


class OfferingStats(Output):
    offering_id: uuid.UUID
    name: str
    kind: str
    booked: int
    capacity: int | None
    occupancy: float | None
    revenue: Money | None


class StatsRead(Output):
    from_: Annotated[datetime, Field(alias="from")]
    to: datetime
    bookings_by_status: dict[str, int]
    revenue: list[Money]
    offerings: list[OfferingStats]
    top_offerings: list[OfferingStats]
