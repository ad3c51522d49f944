"""Statements of the integration service; tenant-scoped ones take the tenant id."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import upsert_insert
from reservo.platform.http.pagination import Keyset
from reservo.services.integration.models import Attribution, BookingContact, Delivery, TikTokAccount


class IntegrationRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    async def account(self) -> TikTokAccount | None:
        found: TikTokAccount | None = await self._s.get(TikTokAccount, self._tenant_id)
        return found

    async def save_account(self, values: dict[str, Any], *, exists: bool) -> None:
        if exists:  # a change that may keep the stored token
            await self._s.execute(
                update(TikTokAccount).where(TikTokAccount.tenant_id == self._tenant_id).values(**values)
            )
            return
        table = TikTokAccount.__table__
        stmt = upsert_insert(self._s, table, {**values, "tenant_id": self._tenant_id})
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.tenant_id], set_={k: stmt.excluded[k] for k in values}
        )
        await self._s.execute(stmt)

    async def delete_account(self) -> bool:
        result = await self._s.execute(
            delete(TikTokAccount).where(TikTokAccount.tenant_id == self._tenant_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def save_contact(self, values: dict[str, Any]) -> None:
        table = BookingContact.__table__
        stmt = upsert_insert(self._s, table, {**values, "tenant_id": self._tenant_id})
        stmt = stmt.on_conflict_do_nothing(index_elements=[table.c.booking_id])
        await self._s.execute(stmt)

    async def contact(self, booking_id: uuid.UUID) -> BookingContact | None:
        found: BookingContact | None = await self._s.scalar(
            select(BookingContact).where(
                BookingContact.tenant_id == self._tenant_id, BookingContact.booking_id == booking_id
            )
        )
        return found

    async def save_attribution(self, values: dict[str, Any]) -> None:
        table = Attribution.__table__
        stmt = upsert_insert(self._s, table, {**values, "tenant_id": self._tenant_id})
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.booking_id],
            set_={k: stmt.excluded[k] for k in values if k != "booking_id"},
            where=table.c.tenant_id == self._tenant_id,
        )
        await self._s.execute(stmt)

    async def attribution(self, booking_id: uuid.UUID) -> Attribution | None:
        found: Attribution | None = await self._s.scalar(
            select(Attribution).where(
                Attribution.tenant_id == self._tenant_id, Attribution.booking_id == booking_id
            )
        )
        return found

    async def queue(self, values: dict[str, Any]) -> bool:
        """Queue a delivery once per (tenant, event_id)."""
        table = Delivery.__table__
        stmt = upsert_insert(self._s, table, {"id": uuid.uuid4(), **values, "tenant_id": self._tenant_id})
        result = await self._s.execute(
            stmt.on_conflict_do_nothing(index_elements=[table.c.tenant_id, table.c.event_id])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def deliveries(self, limit: int, after: Keyset | None, status: str | None) -> list[Delivery]:
        query = select(Delivery).where(Delivery.tenant_id == self._tenant_id)
        if status:
            query = query.where(Delivery.status == status)
        if after is not None:
            query = query.where(tuple_(Delivery.created_at, Delivery.id) < tuple_(after.at, after.id))
        query = query.order_by(Delivery.created_at.desc(), Delivery.id.desc()).limit(limit)
        return list(await self._s.scalars(query))


async def due(session: AsyncSession, now: datetime, limit: int) -> list[Delivery]:
    """Pending deliveries whose time has come, and claimed ones whose worker vanished."""
    query = (
        select(Delivery)
        .where(
            or_(
                (Delivery.status == "pending") & (Delivery.next_attempt_at <= now),
                (Delivery.status == "sending") & (Delivery.lease_until < now),
            )
        )
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    )
    return list(await session.scalars(query))


async def claim(session: AsyncSession, delivery: Delivery, now: datetime, lease_until: datetime) -> bool:
    """Take the delivery for one call; False when another worker took it first."""
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery.id,
            Delivery.status == delivery.status,
            Delivery.attempts == delivery.attempts,
        )
        .values(status="sending", lease_until=lease_until)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def erase_person(session: AsyncSession, user_id: uuid.UUID, email_hash: str) -> None:
    """Delete what forwarding holds of one person: their bookings' hashes and attributions, and the
    browser context of their queued or logged events."""
    bookings = list(
        await session.scalars(
            select(BookingContact.booking_id).where(
                or_(BookingContact.customer_user_id == user_id, BookingContact.email_hash == email_hash)
            )
        )
    )
    await session.execute(delete(BookingContact).where(BookingContact.booking_id.in_(bookings)))
    await session.execute(
        delete(Attribution).where(or_(Attribution.user_id == user_id, Attribution.booking_id.in_(bookings)))
    )
    await session.execute(
        update(Delivery)
        .where(or_(Delivery.user_id == user_id, Delivery.booking_id.in_(bookings)))
        .values(context={}, user_id=None)
    )
