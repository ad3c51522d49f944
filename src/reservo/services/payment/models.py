"""Tables of payment.db: provider accounts, the booking replica, payments, refunds and the audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.contracts.booking import BookingStatus
from reservo.platform.db.base import TYPE_MAP, IdMixin, TenantMixin, service_metadata

OPEN_STATUSES = ("requires_payment_method", "requires_action", "processing")
PAID_STATUSES = ("succeeded", "partially_refunded", "refunded")


class Base(DeclarativeBase):
    metadata = service_metadata("payment")
    type_annotation_map = TYPE_MAP


class ProviderAccount(TenantMixin, Base):
    """A tenant's payment provider. `public` holds what may be shown (publishable key, client id);
    `sealed` the encrypted secrets (crypto.SecretBox), never returned by the API."""

    __tablename__ = "provider_accounts"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(16))
    public: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sealed: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class BookingReplica(TenantMixin, Base):
    """What payment knows of a booking (from booking.* events, or asked of booking on a miss)."""

    __tablename__ = "booking_replicas"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[BookingStatus] = mapped_column(String(16))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    customer_user_id: Mapped[uuid.UUID | None]
    customer_email: Mapped[str] = mapped_column(String(320))
    description: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime]
    booking_version: Mapped[int]


class Payment(IdMixin, TenantMixin, Base):
    __tablename__ = "payments"
    __table_args__ = (
        # At most one open payment per booking, so two concurrent "pay" clicks share one intent.
        Index(
            "ix_payments_one_open_per_booking",
            "booking_id",
            unique=True,
            sqlite_where=text("status IN ('requires_payment_method','requires_action','processing')"),
            postgresql_where=text("status IN ('requires_payment_method','requires_action','processing')"),
        ),
        Index("ix_payments_tenant_created", "tenant_id", "created_at", "id"),
        Index("ix_payments_provider_reference", "provider", "provider_reference"),
        Index("ix_payments_status_updated", "status", "updated_at"),
    )
    booking_id: Mapped[uuid.UUID] = mapped_column(index=True)
    provider: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24))
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    provider_reference: Mapped[str | None] = mapped_column(String(120))
    capture_reference: Mapped[str | None] = mapped_column(String(120))  # PayPal capture id
    client_secret: Mapped[str | None] = mapped_column(String(200))  # Stripe's, for Elements in the browser
    approval_url: Mapped[str | None] = mapped_column(String(500))
    next_action: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    failure_code: Mapped[str | None] = mapped_column(String(64))
    failure_message: Mapped[str | None] = mapped_column(String(500))
    method: Mapped[str | None] = mapped_column(String(64))
    refunded_amount: Mapped[int] = mapped_column(default=0)
    refund_pending_amount: Mapped[int] = mapped_column(default=0)  # reserved by refunds in flight
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    succeeded_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)


class Refund(IdMixin, TenantMixin, Base):
    __tablename__ = "refunds"
    payment_id: Mapped[uuid.UUID] = mapped_column(index=True)
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), index=True)  # requested | pending | succeeded | failed
    reason: Mapped[str | None] = mapped_column(String(500))
    provider_reference: Mapped[str | None] = mapped_column(String(120))
    # What asked for it (e.g. the booking.cancelled event id): the same cause refunds once.
    cause: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime]


class PaymentEvent(IdMixin, TenantMixin, Base):
    """Append-only trail of every provider call and webhook (no secrets, no card data). A webhook's
    provider event id is unique per provider: a redelivery is recognised and changes nothing."""

    __tablename__ = "payment_events"
    __table_args__ = (
        Index("ix_payment_events_external", "source", "external_id", unique=True),
        Index("ix_payment_events_payment", "payment_id", "created_at"),
    )
    payment_id: Mapped[uuid.UUID | None]
    source: Mapped[str] = mapped_column(String(24))  # test | stripe | paypal | stripe.webhook | ...
    kind: Mapped[str] = mapped_column(String(64))  # create_intent, refund, payment_intent.succeeded, ...
    external_id: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str] = mapped_column(String(32))  # ok | error | timeout | applied | ignored
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]


class Dispute(IdMixin, TenantMixin, Base):
    """A customer disputed a payment at the provider (Stripe `charge.dispute.*`, PayPal
    `CUSTOMER.DISPUTE.*`). Staff see it and answer at the provider before `respond_by`; funds move
    only when the provider decides. `status` is ours (disputes.py), `provider_status` the provider's."""

    __tablename__ = "payment_disputes"
    __table_args__ = (
        Index("ix_payment_disputes_reference", "provider", "provider_reference", unique=True),
        Index("ix_payment_disputes_tenant_opened", "tenant_id", "opened_at", "id"),
    )
    payment_id: Mapped[uuid.UUID] = mapped_column(index=True)
    booking_id: Mapped[uuid.UUID]
    provider: Mapped[str] = mapped_column(String(16))
    provider_reference: Mapped[str] = mapped_column(String(120))  # dp_... / PP-D-...
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24))  # needs_response | under_review | won | lost
    provider_status: Mapped[str] = mapped_column(String(48))
    respond_by: Mapped[datetime | None]
    opened_at: Mapped[datetime]
    updated_at: Mapped[datetime]
