"""Tables of location.db: a tenant's locations, and which offering uses which location (fed by catalog's
events, so a location in use is not deleted)."""

from __future__ import annotations

import uuid

from sqlalchemy import Float, Index, String
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
    metadata = service_metadata("location")
    type_annotation_map = TYPE_MAP


class Location(IdMixin, TenantMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "locations"
    __table_args__ = (Index("ix_locations_tenant_created", "tenant_id", "created_at", "id"),)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    place_id: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16))  # manual | geocoded | reverse | place


class OfferingLocation(Base):
    """The location an offering points at, as catalog's last offering event said."""

    __tablename__ = "offering_locations"
    __table_args__ = (Index("ix_offering_locations_location", "tenant_id", "location_id"),)
    offering_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID | None]
    version: Mapped[int]
