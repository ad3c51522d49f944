"""Tables of booking.db: the offering read-model, capacity counters and bookings."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
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
    """What booking knows of an offering, from catalog events; never written by booking's API."""

    __tablename__ = "offering_replicas"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    price_amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    source_updated_at: Mapped[datetime]


class CapacityCounter(IdMixin, TenantMixin, Base):
    """Capacity, claimed by one conditional UPDATE (ARCHITECTURE.md §5); the CHECK is a last defence."""

    __tablename__ = "capacity_counters"
    __table_args__ = (
        CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
        Index("ix_capacity_counters_offering", "offering_id", unique=True),
    )
    offering_id: Mapped[uuid.UUID]
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)


class Booking(IdMixin, TenantMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "bookings"
    __table_args__ = (Index("ix_bookings_tenant_created", "tenant_id", "created_at", "id"),)
    offering_id: Mapped[uuid.UUID] = mapped_column(index=True)
    counter_id: Mapped[uuid.UUID]
    quantity: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str] = mapped_column(String(320), index=True)
    customer_user_id: Mapped[uuid.UUID | None]
    total_amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    expires_at: Mapped[datetime]
