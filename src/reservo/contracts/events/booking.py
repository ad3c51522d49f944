"""Events of the booking service.

Each event carries the whole booking as later services need it (payment: total and currency; receipt:
unit price, tax rate, customer; notification: customer and times), so no consumer calls booking back.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from reservo.contracts.booking import BookingStatus
from reservo.contracts.events.catalog import OfferingKind
from reservo.contracts.money import MoneyPayload
from reservo.platform.events.envelope import Event, register

# A guest's credential for one booking: link_token(secret_key, GUEST_TOKEN_PURPOSE, booking_id), sent
# as header X-Booking-Token; booking, payment and receipt verify it locally with link_token_ok.
GUEST_TOKEN_PURPOSE = "booking.guest"

__all__ = ["GUEST_TOKEN_PURPOSE", "BookingStatus"]  # BookingStatus: defined in contracts/booking.py


class CustomerPayload(BaseModel):
    name: str
    email: str
    phone: str | None = None


class BookingEvent(Event):
    id: uuid.UUID
    tenant_id: uuid.UUID
    offering_id: uuid.UUID
    offering_name: str
    offering_kind: OfferingKind
    variant_id: uuid.UUID | None = None
    variant_name: str | None = None
    session_id: uuid.UUID | None = None
    resource_id: uuid.UUID | None = None
    start: datetime | None = None  # UTC; None for products
    end: datetime | None = None
    quantity: int
    unit_price: MoneyPayload
    total: MoneyPayload
    tax_rate_bp: int  # basis points, 1900 = 19 %; prices include tax
    currency: str
    status: BookingStatus
    customer: CustomerPayload
    sms_consent: bool = False  # the customer agreed to SMS reminders on customer.phone
    customer_user_id: uuid.UUID | None = None  # None for a guest
    expires_at: datetime  # end of the unpaid hold
    created_at: datetime
    booking_version: int


@register
class BookingCreated(BookingEvent):
    """A hold: `status` is pending until paid.

    No secret travels here. `manage_url` is the booking's page without credentials; the mailer, which
    holds the deployment's RESERVO_SECRET_KEY, sends a guest `{manage_url}#token={token}` with
    token = link_token(secret_key, "booking.guest", id) (platform/auth/links.py)."""

    TYPE = "booking.created"
    manage_url: str
    # What the offering offers on the booking's local day (the tenant's zone): its sessions' seats, or
    # slots x resources x capacity per slot; None for products. Analytics' occupancy divides by it.
    day_capacity: int | None = None


@register
class BookingConfirmed(BookingEvent):
    TYPE = "booking.confirmed"
    confirmed_at: datetime


@register
class BookingCancelled(BookingEvent):
    """`refund` is what the cancellation policy gives back (None: nothing to refund, e.g. never paid)."""

    TYPE = "booking.cancelled"
    cancelled_at: datetime
    cancelled_by: Literal["customer", "staff"]
    refund: MoneyPayload | None = None
    reason: str | None = None  # as the canceller wrote it (at most 500 characters)


@register
class BookingExpired(BookingEvent):
    """An unpaid hold ran out; its capacity is free again."""

    TYPE = "booking.expired"
    expired_at: datetime


@register
class BookingCompleted(BookingEvent):
    TYPE = "booking.completed"
    completed_at: datetime


@register
class BookingNoShow(BookingEvent):
    TYPE = "booking.no_show"
    marked_at: datetime


@register
class BookingPaymentRejected(BookingEvent):
    """A payment succeeded that the booking cannot take: its hold expired and the capacity is gone
    (`sold_out`), the amount or currency differs (`amount_mismatch`), or it is cancelled
    (`not_payable`). The payment service refunds it; the notification tells the customer why."""

    TYPE = "booking.payment_rejected"
    payment_id: uuid.UUID
    reason: Literal["sold_out", "amount_mismatch", "not_payable"]
    rejected_at: datetime
