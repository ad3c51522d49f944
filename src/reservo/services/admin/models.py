"""Tables of admin.db: so far only the platform's event tables (the admin domain comes later)."""

from sqlalchemy.orm import DeclarativeBase

from reservo.platform.db.base import TYPE_MAP, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("admin", tenant_scoped=False)
    type_annotation_map = TYPE_MAP
