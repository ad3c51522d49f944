"""Tables of receipt.db: numbered receipts and credit notes, their counters, and the replicas they print."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, IdMixin, TenantMixin, TimestampMixin, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("receipt")
    type_annotation_map = TYPE_MAP


class Counter(Base):
    """The last number given per tenant, series and year. The UPDATE that takes the next one locks the
    row until the receipt's transaction ends, so numbers are gapless: a rollback gives it back."""

    __tablename__ = "receipt_counters"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(16), primary_key=True)  # receipt | credit_note
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Receipt(IdMixin, TenantMixin, TimestampMixin, Base):
    """A receipt (a succeeded payment of a confirmed booking) or credit note (payment.refunded).
    Numbered when the second of the two facts is handled (D12-6); `pending` until its PDF is stored."""

    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        Index("ix_receipts_status_created", "status", "created_at"),
        Index("ix_receipts_booking", "tenant_id", "booking_id"),
    )
    kind: Mapped[str] = mapped_column(String(16))  # receipt | credit_note
    number: Mapped[str] = mapped_column(String(40))
    year: Mapped[int]
    sequence: Mapped[int]
    refers_to: Mapped[str | None] = mapped_column(String(40), default=None)
    booking_id: Mapped[uuid.UUID]
    payment_id: Mapped[uuid.UUID]
    refund_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    amount: Mapped[int]  # minor units; a credit note's is the refunded amount (positive)
    currency: Mapped[str] = mapped_column(String(3))
    provider: Mapped[str] = mapped_column(String(16))
    provider_reference: Mapped[str | None] = mapped_column(String(200), default=None)
    method: Mapped[str | None] = mapped_column(String(100), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    paid_at: Mapped[datetime]  # when the money moved (captured or refunded)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | stored
    storage_key: Mapped[str | None] = mapped_column(String(300), default=None)
    generated_at: Mapped[datetime | None] = mapped_column(default=None)


class PaymentSeen(TenantMixin, Base):
    """A succeeded payment and what its booking made of it (D12-6): `waiting` until the booking is
    confirmed (then `receipted`, numbered in that transaction) or booking rejects the payment
    (`rejected`: refunded, never receipted). A rejection that arrives first leaves the row without
    `payment` (the succeeded event's data), and the payment, when it comes, stays unreceipted."""

    __tablename__ = "payments_seen"
    __table_args__ = (Index("ix_payments_seen_booking", "tenant_id", "booking_id"),)
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # the payment's id
    booking_id: Mapped[uuid.UUID]
    outcome: Mapped[str] = mapped_column(String(16))  # waiting | receipted | rejected
    payment: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), default=None)
    updated_at: Mapped[datetime]


class BookingCopy(TenantMixin, Base):
    """What a receipt prints of a booking, replicated from booking events (newest version wins)."""

    __tablename__ = "bookings"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    offering_id: Mapped[uuid.UUID | None] = mapped_column(default=None)  # None: copied before D14-L3
    offering_name: Mapped[str] = mapped_column(String(200))
    offering_kind: Mapped[str] = mapped_column(String(16))
    variant_name: Mapped[str | None] = mapped_column(String(200), default=None)
    starts_at: Mapped[datetime | None] = mapped_column(default=None)
    ends_at: Mapped[datetime | None] = mapped_column(default=None)
    quantity: Mapped[int]
    unit_amount: Mapped[int]
    total_amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3))
    tax_rate_bp: Mapped[int]
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_email: Mapped[str] = mapped_column(String(320))
    customer_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16))
    booking_version: Mapped[int]


class TenantProfile(Base):
    """The parts of a tenant a receipt prints beyond the platform's replica (address, tax id, locale)."""

    __tablename__ = "tenant_profiles"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(35), default="en")
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    tax_id: Mapped[str | None] = mapped_column(String(64), default=None)
    branding: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime]


class OfferingPlace(Base):
    """Where an offering happens: the location id from catalog's newest offering event (D14-L3)."""

    __tablename__ = "offering_places"
    offering_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID]
    location_id: Mapped[uuid.UUID | None]
    version: Mapped[int]


class PlaceCopy(Base):
    """A location's address and map link, from the location service's newest event (D14-L3)."""

    __tablename__ = "places"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID]
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500))
    map_url: Mapped[str] = mapped_column(String(1000))
    deleted: Mapped[bool] = mapped_column(default=False)
