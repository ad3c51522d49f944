"""Tables of integration.db: so far only the platform's event tables (the integration domain comes later)."""

from sqlalchemy.orm import DeclarativeBase

from reservo.platform.db.base import TYPE_MAP, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("integration")
    type_annotation_map = TYPE_MAP
