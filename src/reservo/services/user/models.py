"""Tables of user.db: tenants and memberships (accounts and sessions arrive with the identity issue)."""

from __future__ import annotations

import uuid

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, IdMixin, TimestampMixin, VersionMixin, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("user", tenant_scoped=False)
    type_annotation_map = TYPE_MAP


class Tenant(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "tenants"
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))


class Membership(IdMixin, TimestampMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
