"""Statements of the notification service's jobs and API: the send queues, reminders, opt-outs and
the delivery log. (The event handlers' statements are still in handlers.py and delivery.py; see
docs/service-shape.md.)"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import upsert_insert
from reservo.services.notification.delivery import log_attempt, mark_sent
from reservo.services.notification.models import BookingCopy, Delivery, Email, OptOut, Reminder, Sms

BATCH = 50


class MessageRepository:
    """Across tenants by design: the senders and the reminder clock serve every tenant's messages."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    # emails ------------------------------------------------------------------------------------
    async def due_emails(self, now: datetime) -> list[Email]:
        stmt = (
            select(Email)
            .where(
                Email.status == "queued", or_(Email.next_attempt_at.is_(None), Email.next_attempt_at <= now)
            )
            .order_by(Email.created_at)
            .limit(BATCH)
        )
        return list((await self._s.scalars(stmt)).all())

    async def emails_sent(self, sent: list[tuple[uuid.UUID, int]], now: datetime) -> None:
        """Mark a batch of (email id, attempt) sent and log each delivery, in the caller's transaction."""
        for email_id, attempt in sent:
            await self._s.execute(mark_sent(email_id, attempt, now))
        rows = [
            {
                "id": uuid.uuid4(),
                "message_id": e,
                "channel": "email",
                "attempt": a,
                "outcome": "sent",
                "at": now,
            }
            for e, a in sent
        ]
        await self._s.execute(insert(Delivery), rows)

    async def update_email(self, email_id: uuid.UUID, **values: Any) -> None:
        await self._s.execute(update(Email).where(Email.id == email_id).values(**values))

    async def latest_emails(self, limit: int) -> list[Email]:
        stmt = select(Email).order_by(Email.created_at.desc()).limit(limit)
        return list((await self._s.scalars(stmt)).all())

    async def email(self, email_id: uuid.UUID) -> Email | None:
        return await self._s.get(Email, email_id)

    async def deliveries(self, message_id: uuid.UUID) -> list[Delivery]:
        stmt = select(Delivery).where(Delivery.message_id == message_id).order_by(Delivery.at)
        return list((await self._s.scalars(stmt)).all())

    async def log(
        self,
        message_id: uuid.UUID,
        channel: str,
        attempt: int,
        outcome: str,
        now: datetime,
        error: str | None = None,
    ) -> None:
        await self._s.execute(log_attempt(message_id, channel, attempt, outcome, now, error))

    # SMS ---------------------------------------------------------------------------------------
    async def due_sms(self, now: datetime) -> list[Sms]:
        stmt = (
            select(Sms)
            .where(Sms.status == "queued", or_(Sms.next_attempt_at.is_(None), Sms.next_attempt_at <= now))
            .limit(BATCH)
        )
        return list((await self._s.scalars(stmt)).all())

    async def update_sms(self, sms_id: uuid.UUID, **values: Any) -> None:
        await self._s.execute(update(Sms).where(Sms.id == sms_id).values(**values))

    # reminders ---------------------------------------------------------------------------------
    async def due_reminders(self, now: datetime) -> list[Reminder]:
        stmt = (
            select(Reminder)
            .where(Reminder.status == "scheduled", Reminder.due_at <= now)
            .order_by(Reminder.due_at)
            .limit(BATCH)
        )
        return list((await self._s.scalars(stmt)).all())

    async def claim_reminder(self, reminder_id: uuid.UUID, now: datetime) -> bool:
        """Mark a scheduled reminder done; False when another worker took it first."""
        claimed = await self._s.execute(
            update(Reminder)
            .where(Reminder.id == reminder_id, Reminder.status == "scheduled")
            .values(status="done", updated_at=now)
        )
        return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]

    async def booking_copy(self, booking_id: uuid.UUID) -> BookingCopy | None:
        return await self._s.get(BookingCopy, booking_id)

    # opt-outs ----------------------------------------------------------------------------------
    async def opted_out(self, tenant_id: uuid.UUID, email: str, kind: str) -> bool:
        found = await self._s.scalar(
            select(OptOut.id).where(
                OptOut.tenant_id == tenant_id, OptOut.email == email.lower(), OptOut.kind == kind
            )
        )
        return found is not None

    async def opt_out(self, tenant_id: uuid.UUID, email: str, kind: str, now: datetime) -> None:
        values = {
            "id": uuid.uuid4(),
            "tenant_id": tenant_id,
            "email": email.lower(),
            "kind": kind,
            "created_at": now,
        }
        stmt = upsert_insert(self._s, OptOut.__table__, values)
        await self._s.execute(stmt.on_conflict_do_nothing())
