"""Tables of notification.db: the outgoing email log with status and retries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, IdMixin, TenantMixin, TimestampMixin, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("notification")
    type_annotation_map = TYPE_MAP


class Email(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "emails"
    __table_args__ = (Index("ix_emails_status_created", "status", "created_at"),)
    template: Mapped[str] = mapped_column(String(64))
    to: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    source_event_id: Mapped[uuid.UUID]
