"""Model mixins: UUID keys, tenant scope, timestamps, optimistic-lock version, soft delete."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from reservo.platform.db.tables import add_tenant_table
from reservo.platform.db.types import UTCDateTime, utcnow
from reservo.platform.events.tables import add_event_tables

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def service_metadata(service: str, *, tenant_scoped: bool = True) -> MetaData:
    """The MetaData of one service's own database, holding the outbox/inbox/dead-letter tables and,
    for tenant-scoped services, the replica of tenants (both made by the platform's migration
    history, not the service's). Each service declares:

        class Base(DeclarativeBase):
            metadata = service_metadata("booking")
            type_annotation_map = TYPE_MAP
    """
    metadata = platform_metadata(tenant_scoped=tenant_scoped)
    metadata.info["service"] = service
    return metadata


def platform_metadata(*, tenant_scoped: bool) -> MetaData:
    """Only the platform's tables, made by the platform migration history (platform/db/migrations);
    `info["platform_tables"]` names them, so a service's own history and autogenerate skip them."""
    metadata = MetaData(naming_convention=NAMING)
    add_event_tables(metadata)
    if tenant_scoped:
        add_tenant_table(metadata)
    metadata.info["platform_tables"] = frozenset(metadata.tables)
    return metadata


TYPE_MAP: dict[Any, Any] = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TenantMixin:
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)


class VersionMixin:
    """Optimistic locking: SQLAlchemy adds `WHERE version = :old` to every UPDATE of the row."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class SoftDeleteMixin:
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)


__all__ = ["UTCDateTime", "utcnow"]
