"""Queries over admin's read-models: bookings across tenants, platform statistics, CSV export."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from reservo.platform.db.tables import add_tenant_table
from reservo.platform.http.pagination import Keyset, encode_cursor
from reservo.platform.service import ServiceContext
from reservo.services.admin.models import AccountRow, Base, BookingRow, PaymentRow
from reservo.services.admin.schemas import AdminBookingRead, CountByStatus, PlatformStats, Revenue

TENANTS = add_tenant_table(Base.metadata)
CSV_COLUMNS = (
    "booking_id",
    "tenant",
    "offering",
    "kind",
    "status",
    "quantity",
    "total_minor",
    "currency",
    "starts_at",
    "booked_at",
)


@dataclass(frozen=True, slots=True)
class BookingFilter:
    tenant: str | None = None  # slug
    status: str | None = None
    frm: date | None = None  # booked on or after this UTC day
    to: date | None = None  # booked on or before this UTC day


def _cell(value: Any) -> str:
    """One CSV cell; text a spreadsheet would run as a formula (=, +, -, @) is quoted with an
    apostrophe (OWASP CSV injection). The csv module does the RFC 4180 quoting."""
    text = "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class AdminService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def _slugs(self, session: Any) -> dict[uuid.UUID, str]:
        return {r.id: r.slug for r in (await session.execute(select(TENANTS.c.id, TENANTS.c.slug))).all()}

    def _where(self, stmt: Select[Any], where: BookingFilter, tenant_id: uuid.UUID | None) -> Select[Any]:
        if where.tenant is not None:
            stmt = stmt.where(BookingRow.tenant_id == tenant_id)
        if where.status is not None:
            stmt = stmt.where(BookingRow.status == where.status)
        if where.frm is not None:
            stmt = stmt.where(BookingRow.booked_at >= datetime.combine(where.frm, time(), UTC))
        if where.to is not None:
            stmt = stmt.where(
                BookingRow.booked_at < datetime.combine(where.to + timedelta(days=1), time(), UTC)
            )
        return stmt

    async def _tenant_id(self, session: Any, slug: str | None) -> uuid.UUID | None:
        if slug is None:
            return None
        found: uuid.UUID | None = await session.scalar(select(TENANTS.c.id).where(TENANTS.c.slug == slug))
        return found or uuid.UUID(int=0)  # an unknown slug matches nothing

    async def bookings(
        self, where: BookingFilter, limit: int, cursor: Keyset | None
    ) -> tuple[list[AdminBookingRead], str | None]:
        """Newest booked first."""
        async with self._ctx.uow.read() as session:
            stmt = self._where(select(BookingRow), where, await self._tenant_id(session, where.tenant))
            if cursor is not None:
                at, last = cursor
                stmt = stmt.where(
                    (BookingRow.booked_at < at) | ((BookingRow.booked_at == at) & (BookingRow.id < last))
                )
            stmt = stmt.order_by(BookingRow.booked_at.desc(), BookingRow.id.desc()).limit(limit + 1)
            rows = list((await session.scalars(stmt)).all())
            slugs = await self._slugs(session)
        items = [_read(r, slugs) for r in rows[:limit]]
        more = len(rows) > limit
        return items, encode_cursor(items[-1].booked_at, items[-1].id) if more else None

    async def csv_lines(self, where: BookingFilter, batch: int = 500) -> AsyncIterator[str]:
        """The bookings as CSV, a batch of rows at a time (the whole table is never in memory)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        yield out.getvalue()
        cursor: Keyset | None = None
        while True:
            items, next_cursor = await self.bookings(where, batch, cursor)
            out.seek(0)
            out.truncate()
            for b in items:
                writer.writerow(
                    [
                        _cell(v)
                        for v in (
                            b.id,
                            b.tenant,
                            b.offering_name,
                            b.offering_kind,
                            b.status,
                            b.quantity,
                            b.total_amount,
                            b.currency,
                            b.starts_at,
                            b.booked_at,
                        )
                    ]
                )
            yield out.getvalue()
            if next_cursor is None or not items:
                return
            cursor = Keyset(items[-1].booked_at, items[-1].id)

    async def stats(self) -> PlatformStats:
        async with self._ctx.uow.read() as session:
            tenants = await session.scalar(select(func.count()).select_from(TENANTS)) or 0
            suspended = (
                await session.scalar(select(func.count()).select_from(TENANTS).where(TENANTS.c.suspended))
                or 0
            )
            users = await session.scalar(select(func.count()).where(AccountRow.erased_at.is_(None))) or 0
            deleted = await session.scalar(select(func.count()).where(AccountRow.erased_at.is_not(None))) or 0
            by_status = (
                await session.execute(
                    select(BookingRow.status, func.count())
                    .group_by(BookingRow.status)
                    .order_by(BookingRow.status)
                )
            ).all()
            revenue = (
                await session.execute(
                    select(
                        PaymentRow.currency,
                        func.sum(PaymentRow.amount),
                        func.sum(PaymentRow.refunded_amount),
                        func.count(),
                    )
                    .group_by(PaymentRow.currency)
                    .order_by(PaymentRow.currency)
                )
            ).all()
        return PlatformStats(
            tenants=tenants,
            suspended_tenants=suspended,
            users=users,
            deleted_users=deleted,
            bookings=sum(n for _, n in by_status),
            bookings_by_status=[CountByStatus(status=s, count=n) for s, n in by_status],
            revenue=[
                Revenue(currency=c, gross=int(g), refunded=int(r), net=int(g) - int(r), payments=n)
                for c, g, r, n in revenue
            ],
        )


def _read(row: BookingRow, slugs: dict[uuid.UUID, str]) -> AdminBookingRead:
    return AdminBookingRead(
        id=row.id,
        tenant_id=row.tenant_id,
        tenant=slugs.get(row.tenant_id),
        offering_id=row.offering_id,
        offering_name=row.offering_name,
        offering_kind=row.offering_kind,
        status=row.status,
        quantity=row.quantity,
        total_amount=row.total_amount,
        currency=row.currency,
        starts_at=row.starts_at,
        booked_at=row.booked_at,
    )
