"""Every statement of the notification service (docs/service-shape.md, rule 1): the send queues,
reminders, opt-outs and the delivery log (`MessageRepository`), the replicas messages are written from
(`Replicas`: tenants, tenant profiles, bookings, staff addresses) and forgetting a person (`Erasure`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import insert_new, upsert_insert, upsert_statement
from reservo.platform.db.tables import add_tenant_table
from reservo.platform.db.uow import Transaction
from reservo.platform.erasure import ERASED, erased_email, mentions
from reservo.services.notification.models import (
    Base,
    BookingCopy,
    Delivery,
    Email,
    OptOut,
    Reminder,
    Sms,
    StaffMember,
    TenantProfile,
)

BATCH = 50
# Due emails a sender batch takes: rendering and writing them is per email, the read and the
# transaction that marks them sent are per batch (D15-58).
EMAIL_BATCH = 200
TENANTS = add_tenant_table(Base.metadata)


def _log_attempt(
    message_id: uuid.UUID, channel: str, attempt: int, outcome: str, now: datetime, error: str | None = None
) -> Any:
    return insert(Delivery).values(
        id=uuid.uuid4(),
        message_id=message_id,
        channel=channel,
        attempt=attempt,
        outcome=outcome,
        error=error,
        at=now,
    )


# Statements built once (platform/db/dialect.upsert_statement), run with each row as parameters.
def _keep_booking_statement(insert: Any) -> Any:
    table = BookingCopy.__table__
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={"booking_version": stmt.excluded.booking_version, "data": stmt.excluded.data},
        where=table.c.booking_version <= stmt.excluded.booking_version,
    )


def _email_sent_statement(_: Any) -> Any:
    table: Any = Email.__table__
    now = bindparam("now", type_=table.c.sent_at.type)
    return (
        update(table)
        .where(table.c.id == bindparam("email_id", type_=table.c.id.type))
        .values(
            status="sent",
            attempts=bindparam("attempt", type_=table.c.attempts.type),
            sent_at=now,
            next_attempt_at=None,
            updated_at=now,
        )
    )


class MessageRepository:
    """Across tenants by design: the senders and the reminder clock serve every tenant's messages."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    # emails ------------------------------------------------------------------------------------
    def queue_email(self, tx: Transaction, row: dict[str, Any]) -> None:
        """Insert a queued email at the end of `tx` (with the other emails of a consumer batch, one
        executemany); nothing when its id (derived from what asked for it) is there."""

        def statement() -> Any:
            return upsert_statement(self._s, "notification.emails", insert_new(Email.__table__))

        tx.execute_later("notification.emails", statement, row)

    async def due_emails(self, now: datetime) -> list[Email]:
        stmt = (
            select(Email)
            .where(
                Email.status == "queued", or_(Email.next_attempt_at.is_(None), Email.next_attempt_at <= now)
            )
            .order_by(Email.created_at)
            .limit(EMAIL_BATCH)
        )
        return list((await self._s.scalars(stmt)).all())

    async def emails_sent(self, sent: list[tuple[uuid.UUID, int]], now: datetime) -> None:
        """Mark a batch of (email id, attempt) sent and log each delivery, in the caller's transaction."""
        if not sent:
            return
        # one executemany of a Core UPDATE by primary key (the ORM's bulk form costs more per row)
        stmt = upsert_statement(self._s, "notification.email_sent", _email_sent_statement)
        await self._s.execute(stmt, [{"email_id": e, "attempt": a, "now": now} for e, a in sent])
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
        await self._s.execute(_log_attempt(message_id, channel, attempt, outcome, now, error))

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
    async def schedule_reminders(self, rows: list[dict[str, Any]]) -> None:
        """Insert scheduled reminders; nothing for one whose id (derived from the booking) is there."""
        if rows:
            stmt = upsert_statement(self._s, "notification.schedule_reminder", insert_new(Reminder.__table__))
            await self._s.execute(stmt, rows)

    async def cancel_reminders(self, booking_id: uuid.UUID, kinds: tuple[str, ...]) -> None:
        await self._s.execute(
            update(Reminder)
            .where(
                Reminder.booking_id == booking_id, Reminder.status == "scheduled", Reminder.kind.in_(kinds)
            )
            .values(status="cancelled")
        )

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


class Replicas:
    """What other services said that messages are written from; each write keeps the newest only."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def tenant(self, tenant_id: uuid.UUID) -> Row[Any] | None:
        return (await self._s.execute(select(TENANTS).where(TENANTS.c.id == tenant_id))).one_or_none()

    async def profile(self, tenant_id: uuid.UUID) -> TenantProfile | None:
        return await self._s.get(TenantProfile, tenant_id)

    async def keep_profile(self, values: dict[str, Any]) -> None:
        table = TenantProfile.__table__
        stmt = upsert_insert(self._s, table, values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={k: stmt.excluded[k] for k in values if k != "id"},
            where=table.c.updated_at <= stmt.excluded.updated_at,
        )
        await self._s.execute(stmt)

    async def keep_bookings(self, rows: list[dict[str, Any]]) -> None:
        """One-row upserts, newest version wins, run in order (one executemany for several)."""
        if rows:
            stmt = upsert_statement(self._s, "notification.keep_booking", _keep_booking_statement)
            await self._s.execute(stmt, rows)

    async def booking_data(self, tenant_id: uuid.UUID, booking_id: uuid.UUID) -> dict[str, Any] | None:
        data: dict[str, Any] | None = await self._s.scalar(
            select(BookingCopy.data).where(BookingCopy.tenant_id == tenant_id, BookingCopy.id == booking_id)
        )
        return data

    async def keep_member(self, values: dict[str, Any]) -> None:
        table = StaffMember.__table__
        stmt = upsert_insert(self._s, table, values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.tenant_id, table.c.user_id],
            set_={k: stmt.excluded[k] for k in ("email", "role", "changed_at")},
            where=table.c.changed_at <= stmt.excluded.changed_at,  # an older change never wins
        )
        await self._s.execute(stmt)

    async def staff(self, tenant_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        """(user id, address) of the tenant's current owner and staff."""
        rows = await self._s.execute(
            select(StaffMember.user_id, StaffMember.email).where(
                StaffMember.tenant_id == tenant_id, StaffMember.role.is_not(None)
            )
        )
        return [(user_id, email) for user_id, email in rows.all()]


class Erasure:
    """Forgetting a person (`user.erased`, D14-A2); across tenants by design."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def copies_mentioning(self, needles: list[str]) -> list[BookingCopy]:
        return list(
            (await self._s.scalars(select(BookingCopy).where(mentions(BookingCopy.data, needles)))).all()
        )

    async def scrub_emails(self, email: str) -> None:
        """Messages to or about the address keep template, status and times, nothing that names them."""
        await self._s.execute(
            update(Email)
            .where(or_(func.lower(Email.to) == email, mentions(Email.body, [email])))
            .values(
                to=erased_email("message"),
                subject=ERASED,
                body=ERASED,
                html=None,
                headers={},
                last_error=None,
            )
        )

    async def scrub_sms(self, phones: set[str]) -> None:
        await self._s.execute(
            update(Sms).where(Sms.to.in_(phones)).values(to="", body=ERASED, last_error=None)
        )

    async def drop_opt_outs(self, email: str) -> None:
        await self._s.execute(delete(OptOut).where(func.lower(OptOut.email) == email))
