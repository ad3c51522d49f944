"""Tables of analytics.db: raw events (purged after the tenant's retention), daily aggregates
(kept) and each tenant's privacy settings."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("analytics")
    type_annotation_map = TYPE_MAP


class TenantAnalyticsSettings(Base):
    """Per tenant: how long raw events are kept, and whether a consenting visitor's IP address and
    user agent may be kept at all (off: they are dropped even with consent)."""

    __tablename__ = "tenant_settings"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    retention_days: Mapped[int]
    keep_client_details: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime]


class RawEvent(Base):
    """One browser or server event as counted. `event_id` is unique per tenant, so a repeated
    collect call or a redelivered bus event counts once. No email or name is ever stored; `ip`,
    `user_agent` and `ttclid` only with the visitor's consent (and the tenant's setting)."""

    __tablename__ = "raw_events"
    __table_args__ = (
        Index("ix_raw_events_tenant_event", "tenant_id", "event_id", unique=True),
        Index("ix_raw_events_occurred", "occurred_at"),
        Index("ix_raw_events_user", "user_id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[uuid.UUID]
    event_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime]
    day: Mapped[date]  # in the tenant's time zone when it was counted
    offering_id: Mapped[uuid.UUID | None]
    booking_id: Mapped[uuid.UUID | None]
    user_id: Mapped[uuid.UUID | None]
    amount: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    ttclid: Mapped[str | None] = mapped_column(String(200))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(400))


class DailyMetric(Base):
    """A counter per tenant, local day, metric and dimension ('' when none; a currency for money,
    an offering id for per-offering figures). Only ever incremented, in the same transaction that
    records the raw event it counts."""

    __tablename__ = "daily_metrics"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(32), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(64), primary_key=True, default="")
    value: Mapped[int] = mapped_column(default=0)


class OfferingName(Base):
    """The latest name of an offering seen in a booking event (top offerings are shown by name)."""

    __tablename__ = "offering_names"
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    offering_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class BookingFacts(Base):
    """What analytics needs of a booking to count its cancellation and its payment under its
    offering: no customer data."""

    __tablename__ = "booking_facts"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    offering_id: Mapped[uuid.UUID]
    quantity: Mapped[int]
    service_day: Mapped[date | None]  # the local day the booked session/slot starts
    # What the offering offered on that day, as booking.created reported it (None: not reported).
    day_capacity: Mapped[int | None] = mapped_column(default=None)
    confirmed: Mapped[bool] = mapped_column(default=False)
    cancelled: Mapped[bool] = mapped_column(default=False)
