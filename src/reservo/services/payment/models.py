"""Tables of payment.db: so far only the platform's event tables (the payment domain comes later)."""

from sqlalchemy.orm import DeclarativeBase

from reservo.platform.db.base import TYPE_MAP, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("payment")
    type_annotation_map = TYPE_MAP
