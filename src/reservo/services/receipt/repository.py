"""Statements of the receipt service, each scoped to one tenant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.contracts.booking import PAID
from reservo.platform.db.dialect import upsert_insert, upsert_statement
from reservo.platform.db.tables import add_tenant_table
from reservo.services.receipt.models import Base, BookingCopy, Counter, PaymentSeen, Receipt, TenantProfile

TENANTS = add_tenant_table(Base.metadata)


async def upsert_bookings(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Booking copies (each row names its tenant; all rows the same columns), newest booking_version
    wins: one-row upserts run in order, one executemany for several."""
    columns = tuple(k for k in rows[0] if k not in ("id", "tenant_id"))

    def build(insert: Any) -> Any:
        table = BookingCopy.__table__
        stmt = insert(table)
        return stmt.on_conflict_do_update(
            index_elements=[table.c.id],
            set_={k: stmt.excluded[k] for k in columns},
            where=table.c.booking_version <= stmt.excluded.booking_version,
        )

    await session.execute(upsert_statement(session, ("receipt.upsert_booking", columns), build), rows)


class ReceiptRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s, self._tenant_id = session, tenant_id

    def _scoped(self) -> Select[Receipt]:
        return select(Receipt).where(Receipt.tenant_id == self._tenant_id)

    async def next_number(self, series: str, year: int) -> int:
        """Take the next number of a series: one conditional UPDATE on the counter row (created first
        if missing). Concurrent transactions queue on the row lock (PostgreSQL) or the single writer
        (SQLite) and each sees the committed value, so numbers never repeat; a rollback returns it."""
        key = {"tenant_id": self._tenant_id, "series": series, "year": year}
        stmt = upsert_insert(self._s, Counter.__table__, {**key, "last": 0})
        await self._s.execute(stmt.on_conflict_do_nothing())
        result = await self._s.execute(
            update(Counter)
            .where(Counter.tenant_id == self._tenant_id, Counter.series == series, Counter.year == year)
            .values(last=Counter.last + 1)
            .returning(Counter.last)
        )
        return int(result.scalar_one())

    async def get(self, receipt_id: uuid.UUID) -> Receipt | None:
        return (await self._s.scalars(self._scoped().where(Receipt.id == receipt_id))).one_or_none()

    async def receipt_of_payment(self, payment_id: uuid.UUID) -> Receipt | None:
        stmt = self._scoped().where(Receipt.payment_id == payment_id, Receipt.kind == "receipt")
        return (await self._s.scalars(stmt)).one_or_none()

    async def latest_for_booking(self, booking_id: uuid.UUID, kind: str) -> Receipt | None:
        stmt = (
            self._scoped()
            .where(Receipt.booking_id == booking_id, Receipt.kind == kind, Receipt.status == "stored")
            .order_by(Receipt.created_at.desc())
            .limit(1)
        )
        return (await self._s.scalars(stmt)).first()

    def add(self, receipt: Receipt) -> Receipt:
        self._s.add(receipt)
        return receipt

    async def mark_stored(self, receipt_id: uuid.UUID, values: dict[str, Any]) -> bool:
        """Only the first of two racing renderers wins (and publishes receipt.generated)."""
        result = await self._s.execute(
            update(Receipt)
            .where(
                Receipt.tenant_id == self._tenant_id, Receipt.id == receipt_id, Receipt.status == "pending"
            )
            .values(status="stored", **values)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def booking(self, booking_id: uuid.UUID) -> BookingCopy | None:
        stmt = select(BookingCopy).where(
            BookingCopy.tenant_id == self._tenant_id, BookingCopy.id == booking_id
        )
        return (await self._s.scalars(stmt)).one_or_none()

    async def upsert_booking(self, values: dict[str, Any]) -> None:
        """Newest booking_version wins; replays and late events never move the copy backwards."""
        await upsert_bookings(self._s, [{**values, "tenant_id": self._tenant_id}])

    # payments and booking's verdict on them (D12-6) --------------------------------------------
    async def payment_seen(self, payment_id: uuid.UUID) -> PaymentSeen | None:
        stmt = select(PaymentSeen).where(
            PaymentSeen.tenant_id == self._tenant_id, PaymentSeen.id == payment_id
        )
        return (await self._s.scalars(stmt)).one_or_none()

    async def note_payment(
        self, payment_id: uuid.UUID, booking_id: uuid.UUID, payment: dict[str, Any], now: datetime
    ) -> None:
        """Record a succeeded payment as waiting for its booking; a row already there (a rejection
        that came first, or the payment told again) keeps its outcome."""
        values = {"outcome": "waiting", "payment": payment}
        await self._seen(payment_id, booking_id, now, values, ("payment",), PaymentSeen.payment.is_(None))

    async def reject_payment(self, payment_id: uuid.UUID, booking_id: uuid.UUID, now: datetime) -> None:
        """Booking refused the payment: a waiting (or not yet seen) payment will never be receipted."""
        changed = ("outcome", "updated_at")
        await self._seen(
            payment_id, booking_id, now, {"outcome": "rejected"}, changed, PaymentSeen.outcome == "waiting"
        )

    async def _seen(
        self,
        payment_id: uuid.UUID,
        booking_id: uuid.UUID,
        now: datetime,
        values: dict[str, Any],
        changed: tuple[str, ...],
        where: Any,
    ) -> None:
        """Insert the payment's row, or change `changed` of the row there when `where` holds."""
        table = PaymentSeen.__table__
        row = {"id": payment_id, "tenant_id": self._tenant_id, "booking_id": booking_id, "updated_at": now}
        stmt = upsert_insert(self._s, table, {**row, **values})
        set_ = {k: stmt.excluded[k] for k in changed}
        await self._s.execute(stmt.on_conflict_do_update(index_elements=[table.c.id], set_=set_, where=where))

    async def claim_payment(self, payment_id: uuid.UUID, now: datetime) -> bool:
        """waiting -> receipted; False when a concurrent transaction claimed or rejected it first."""
        result = await self._s.execute(
            update(PaymentSeen)
            .where(
                PaymentSeen.tenant_id == self._tenant_id,
                PaymentSeen.id == payment_id,
                PaymentSeen.outcome == "waiting",
            )
            .values(outcome="receipted", updated_at=now)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def waiting_payments(self, booking_id: uuid.UUID) -> list[PaymentSeen]:
        stmt = select(PaymentSeen).where(
            PaymentSeen.tenant_id == self._tenant_id,
            PaymentSeen.booking_id == booking_id,
            PaymentSeen.outcome == "waiting",
            PaymentSeen.payment.is_not(None),
        )
        return list((await self._s.scalars(stmt)).all())

    async def tenant(self) -> tuple[Any, TenantProfile | None]:
        row = (await self._s.execute(select(TENANTS).where(TENANTS.c.id == self._tenant_id))).one_or_none()
        profile = await self._s.get(TenantProfile, self._tenant_id)
        return row, profile


async def upsert_profile(session: AsyncSession, values: dict[str, Any]) -> None:
    table = TenantProfile.__table__
    stmt = upsert_insert(session, table, values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={k: stmt.excluded[k] for k in values if k != "id"},
        where=table.c.updated_at <= stmt.excluded.updated_at,
    )
    await session.execute(stmt)


async def pending_receipts(session: AsyncSession, limit: int) -> list[Receipt]:
    """Receipts waiting for their PDF whose booking is known (the others wait for booking events)."""
    stmt = (
        select(Receipt)
        .join(
            BookingCopy, (BookingCopy.id == Receipt.booking_id) & (BookingCopy.tenant_id == Receipt.tenant_id)
        )
        .where(Receipt.status == "pending")
        .order_by(Receipt.created_at)
        .limit(limit)
    )
    return list((await session.scalars(stmt)).all())


async def payments_of_confirmed_bookings(session: AsyncSession, limit: int) -> list[PaymentSeen]:
    """Waiting payments whose booking the replica shows paid for: what a handler racing the booking's
    confirmation left for the render job (D12-6)."""
    stmt = (
        select(PaymentSeen)
        .join(
            BookingCopy,
            (BookingCopy.id == PaymentSeen.booking_id) & (BookingCopy.tenant_id == PaymentSeen.tenant_id),
        )
        .where(
            PaymentSeen.outcome == "waiting",
            PaymentSeen.payment.is_not(None),
            BookingCopy.status.in_(PAID),
        )
        .limit(limit)
    )
    return list((await session.scalars(stmt)).all())
