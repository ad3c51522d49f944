"""Tables of booking.db: the offering read-model, capacity counters and bookings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import (
    TYPE_MAP,
    IdMixin,
    TenantMixin,
    TimestampMixin,
    VersionMixin,
    service_metadata,
)


class Base(DeclarativeBase):
    metadata = service_metadata("booking")
    type_annotation_map = TYPE_MAP


class OfferingReplica(TenantMixin, Base):
    """What booking knows of an offering: catalog's whole OfferingState (`state`), replaced only by a
    newer `version`; never written by booking's API."""

    __tablename__ = "offering_replicas"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    deleted: Mapped[bool] = mapped_column(default=False)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_updated_at: Mapped[datetime]


class CapacityCounter(IdMixin, TenantMixin, Base):
    """Capacity, claimed by one conditional UPDATE (ARCHITECTURE.md §5); the CHECK is a last defence.

    One row per (offering, key): `stock` for a product, `session:<id>` for an event session,
    `slot:<resource>:<start>` for an appointment slot on a resource (created on demand). Appointment
    rows carry the resource and the slot's span with buffers: on PostgreSQL an exclusion constraint
    (migration) forbids two rows with taken > 0 on one resource whose spans overlap.
    """

    __tablename__ = "capacity_counters"
    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
        Index("ix_capacity_counters_offering_key", "offering_id", "key", unique=True),
        Index("ix_capacity_counters_resource_span", "resource_id", "span_start"),
    )
    offering_id: Mapped[uuid.UUID]
    key: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)
    resource_id: Mapped[uuid.UUID | None]
    starts_at: Mapped[datetime | None]
    span_start: Mapped[datetime | None]
    span_end: Mapped[datetime | None]


class Booking(IdMixin, TenantMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_tenant_sort", "tenant_id", "sort_at", "id"),
        Index("ix_bookings_pending_expiry", "status", "expires_at"),
    )
    offering_id: Mapped[uuid.UUID] = mapped_column(index=True)
    offering_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    variant_id: Mapped[uuid.UUID | None]
    variant_name: Mapped[str | None] = mapped_column(String(200))
    session_id: Mapped[uuid.UUID | None]
    resource_id: Mapped[uuid.UUID | None]
    counter_id: Mapped[uuid.UUID | None]
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    sort_at: Mapped[datetime]  # starts_at, or created_at for products: the list order
    quantity: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str] = mapped_column(String(320), index=True)
    customer_phone: Mapped[str | None] = mapped_column(String(40))
    customer_user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    sms_consent: Mapped[bool] = mapped_column(default=False, server_default=false())
    unit_amount: Mapped[int]
    total_amount: Mapped[int]
    tax_rate_bp: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    access_token_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    refund_amount: Mapped[int | None]
