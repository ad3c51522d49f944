"""Tables of admin.db: read-models of the whole platform, fed by events (issue 14).

They hold no personal data: bookings without the customer, accounts as ids and dates only. What a
platform admin needs to know about a person is asked of the user service (admin routes there).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("admin")
    type_annotation_map = TYPE_MAP


class BookingRow(Base):
    """One booking of any tenant as its newest event describes it (newest `booking_version` wins)."""

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_booked", "booked_at", "id"),
        Index("ix_bookings_tenant_booked", "tenant_id", "booked_at", "id"),
    )
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID]
    offering_id: Mapped[uuid.UUID]
    offering_name: Mapped[str] = mapped_column(String(200))
    offering_kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    quantity: Mapped[int]
    total_amount: Mapped[int]  # minor units
    currency: Mapped[str] = mapped_column(String(3))
    starts_at: Mapped[datetime | None]
    booked_at: Mapped[datetime]
    booking_version: Mapped[int]


class PaymentRow(Base):
    """A payment that succeeded, with what was refunded of it since (for revenue by currency)."""

    __tablename__ = "payments"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    booking_id: Mapped[uuid.UUID]
    amount: Mapped[int]
    refunded_amount: Mapped[int] = mapped_column(default=0)
    currency: Mapped[str] = mapped_column(String(3))
    succeeded_at: Mapped[datetime]


class AccountRow(Base):
    """An account: that it exists, since when, and whether it was deleted. Nothing personal."""

    __tablename__ = "accounts"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    registered_at: Mapped[datetime]
    erased_at: Mapped[datetime | None] = mapped_column(default=None)
