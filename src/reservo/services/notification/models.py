"""Tables of notification.db: outgoing emails and SMS with their delivery log, scheduled reminders,
opt-outs, and the replicas (bookings, tenant profiles, staff addresses) the messages are written from."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, IdMixin, TenantMixin, TimestampMixin, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("notification")
    type_annotation_map = TYPE_MAP


class Email(IdMixin, TenantMixin, TimestampMixin, Base):
    """One email. The id is derived from the event (or reminder) that asked for it, so it is queued once."""

    __tablename__ = "emails"
    __table_args__ = (Index("ix_emails_status_created", "status", "created_at"),)
    template: Mapped[str] = mapped_column(String(64))
    to: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text, default=None)
    # [{"filename", "content_type", "storage_key"}]: read from object storage when sending.
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list, server_default="[]")
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    source_event_id: Mapped[uuid.UUID]


class Delivery(IdMixin, Base):
    """The delivery log: one row per attempt to send an email or SMS (sent, or failed with its reason)."""

    __tablename__ = "deliveries"
    message_id: Mapped[uuid.UUID] = mapped_column(index=True)
    channel: Mapped[str] = mapped_column(String(8))  # email | sms
    attempt: Mapped[int]
    outcome: Mapped[str] = mapped_column(String(16))  # sent | failed | gave_up
    error: Mapped[str | None] = mapped_column(Text, default=None)
    at: Mapped[datetime]


class Sms(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "sms"
    to: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    provider_sid: Mapped[str | None] = mapped_column(String(64), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class Reminder(IdMixin, TenantMixin, TimestampMixin, Base):
    """A message due at a time (24 h reminder, hold about to expire). Claimed by one conditional UPDATE
    in the transaction that queues its email, so a restart neither loses nor repeats it."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due", "status", "due_at"),)
    booking_id: Mapped[uuid.UUID] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))  # reminder | hold_expiring
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="scheduled")  # scheduled | done | cancelled


class OptOut(IdMixin, TenantMixin, Base):
    __tablename__ = "opt_outs"
    __table_args__ = (UniqueConstraint("tenant_id", "email", "kind"),)
    email: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(16), default="reminder")
    created_at: Mapped[datetime]


class BookingCopy(TenantMixin, Base):
    """The newest booking event's data (newest `booking_version` wins), to write later messages from."""

    __tablename__ = "bookings"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    booking_version: Mapped[int]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class TenantProfile(Base):
    __tablename__ = "tenant_profiles"
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(35), default="en")
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


class StaffMember(Base):
    """A tenant's owner or staff member, as the user service last said (`role` None: left)."""

    __tablename__ = "staff_members"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str | None] = mapped_column(String(16), default=None)
    changed_at: Mapped[datetime]
