"""Tables of integration.db: TikTok accounts, what forwarding needs of bookings (hashes only) and
of consenting visitors, and the delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("integration")
    type_annotation_map = TYPE_MAP


class TikTokAccount(Base):
    """A tenant's Events API settings. `sealed_token` is encrypted (platform/secretbox.py) and never
    returned. `failures`/`open_until` are the tenant's circuit breaker."""

    __tablename__ = "tiktok_accounts"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    pixel_code: Mapped[str] = mapped_column(String(64))
    sealed_token: Mapped[str] = mapped_column(Text)
    token_hint: Mapped[str] = mapped_column(String(8))  # the last four characters, to recognise it
    test_event_code: Mapped[str | None] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(default=True)
    failures: Mapped[int] = mapped_column(default=0)
    open_until: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class BookingContact(Base):
    """What a booking's conversion events need, kept only for tenants forwarding to TikTok: the
    customer's identifiers already SHA-256 hashed as TikTok wants them, and the order's contents."""

    __tablename__ = "booking_contacts"
    __table_args__ = (Index("ix_booking_contacts_user", "customer_user_id"),)
    booking_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    customer_user_id: Mapped[uuid.UUID | None]
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone_hash: Mapped[str | None] = mapped_column(String(64))
    external_id_hash: Mapped[str | None] = mapped_column(String(64))
    offering_id: Mapped[uuid.UUID]
    offering_name: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int]
    total: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))


class Attribution(Base):
    """A visitor who gave marketing consent and went on to book: their click id, address and agent
    go with the booking's conversion events. No row, no user data is sent for the booking."""

    __tablename__ = "attributions"
    booking_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    ttclid: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))
    updated_at: Mapped[datetime]


class Delivery(Base):
    """One event to forward, and its log. `event_id` is unique per tenant: an event is queued once,
    and the row is claimed (`sending`) before each call, so it is sent by one worker at a time.
    `context` holds a browser event's click id, address and agent (consented), `log` the attempts."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_tenant_event", "tenant_id", "event_id", unique=True),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_tenant_created", "tenant_id", "created_at", "id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[uuid.UUID]
    event: Mapped[str] = mapped_column(
        String(32)
    )  # ViewContent | InitiateCheckout | PlaceAnOrder | CompletePayment
    event_id: Mapped[str] = mapped_column(String(120))
    event_time: Mapped[datetime]
    booking_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16))  # pending | sending | delivered | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
