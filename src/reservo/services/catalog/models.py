"""Tables of catalog.db: offerings (one row per aggregate) and the local dates they are open on.

Variants, images, the schedule, resources and event sessions are bounded parts of the offering that
are always read and written with it, so they are JSON columns. What lists filter on is a column:
kind, status, category, base price, `open_weekdays` and the `offering_days` index. Full-text search
is dialect-specific and lives in the migration only (see `UNMANAGED` and docs/decisions.md).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import (
    TYPE_MAP,
    IdMixin,
    SoftDeleteMixin,
    TenantMixin,
    TimestampMixin,
    VersionMixin,
    service_metadata,
)

# Created by the migration per dialect, invisible to autogenerate: SQLite's FTS5 table (and its
# shadow tables, same prefix) and PostgreSQL's generated tsvector column.
UNMANAGED = frozenset({"offerings_fts", "offerings.search", "ix_offerings_search"})


class Base(DeclarativeBase):
    metadata = service_metadata("catalog")
    type_annotation_map = TYPE_MAP


Base.metadata.info["unmanaged"] = UNMANAGED


class Offering(IdMixin, TenantMixin, TimestampMixin, VersionMixin, SoftDeleteMixin, Base):
    __tablename__ = "offerings"
    __table_args__ = (
        Index("ix_offerings_tenant_created", "tenant_id", "created_at", "id"),
        Index("ix_offerings_tenant_status_kind", "tenant_id", "status", "kind"),
    )
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(100))
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16))
    price_amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    variants: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    timezone: Mapped[str] = mapped_column(String(64))
    tax_rate_bp: Mapped[int] = mapped_column(default=0)
    location_id: Mapped[uuid.UUID | None]
    cancellation_free_hours: Mapped[int | None]
    min_quantity: Mapped[int] = mapped_column(default=1)
    max_quantity: Mapped[int | None]
    lead_time_minutes: Mapped[int] = mapped_column(default=0)
    booking_window_days: Mapped[int | None]
    hold_minutes: Mapped[int | None]  # unpaid holds expire after this; None: the deployment default
    stock: Mapped[int | None]
    duration_minutes: Mapped[int | None]
    slot_interval_minutes: Mapped[int | None]
    capacity_per_slot: Mapped[int] = mapped_column(default=1)
    buffer_before_minutes: Mapped[int] = mapped_column(default=0)
    buffer_after_minutes: Mapped[int] = mapped_column(default=0)
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    resources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sessions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # bit i set = the weekly schedule opens on weekday i (0 = Monday); derived from `schedule`
    open_weekdays: Mapped[int] = mapped_column(default=0)


class OfferingDay(Base):
    """A local date with something explicit on it: an event session (open) or a schedule exception
    (open with special hours, or closed). Derived from the offering on every write."""

    __tablename__ = "offering_days"
    offering_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("offerings.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    tenant_id: Mapped[uuid.UUID]
    open: Mapped[bool]
    __table_args__ = (Index("ix_offering_days_tenant_day", "tenant_id", "day"),)


class LocationReplica(Base):
    """What catalog shows of a location (fed by `location.location.*` events; filled from the location
    service on a miss). Latitude and longitude are indexed for the near-me bounding box."""

    __tablename__ = "location_replicas"
    __table_args__ = (Index("ix_location_replicas_lat_lng", "latitude", "longitude"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    place_id: Mapped[str | None] = mapped_column(String(300))
    map_url: Mapped[str] = mapped_column(String(1000))
    deleted: Mapped[bool] = mapped_column(default=False)
