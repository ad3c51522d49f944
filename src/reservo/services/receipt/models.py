"""Tables of receipt.db: so far only the platform's event tables (the receipt domain comes later)."""

from sqlalchemy.orm import DeclarativeBase

from reservo.platform.db.base import TYPE_MAP, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("receipt")
    type_annotation_map = TYPE_MAP
