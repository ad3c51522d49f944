"""Tables of catalog.db: offerings (schedules, variants and resources arrive with the catalog issue)."""

from __future__ import annotations

from sqlalchemy import Index, String
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


class Base(DeclarativeBase):
    metadata = service_metadata("catalog")
    type_annotation_map = TYPE_MAP


class Offering(IdMixin, TenantMixin, TimestampMixin, VersionMixin, SoftDeleteMixin, Base):
    __tablename__ = "offerings"
    __table_args__ = (Index("ix_offerings_tenant_created", "tenant_id", "created_at", "id"),)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    price_amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    capacity: Mapped[int]
