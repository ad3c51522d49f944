"""Statements of the analytics service; every one is scoped to one tenant."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import insert_new, upsert_insert, upsert_statement
from reservo.platform.db.tables import add_tenant_table
from reservo.platform.db.uow import Transaction
from reservo.services.analytics.models import (
    Base,
    BookingFacts,
    DailyMetric,
    OfferingName,
    RawEvent,
    TenantAnalyticsSettings,
)

TENANTS = add_tenant_table(Base.metadata)


class TenantNotYetKnown(LookupError):
    """An event of a tenant whose replica row has not arrived: the consumer retries it."""


def local_day(at: datetime, timezone: str) -> date:
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return at.astimezone(zone).date()


# Statements built once (platform/db/dialect.upsert_statement), run with each row as parameters.
_record_statement = insert_new(RawEvent.__table__, "tenant_id", "event_id")


def _record_many_statement(insert: Any) -> Any:
    return _record_statement(insert).returning(RawEvent.__table__.c.event_id)


def _add_statement(insert: Any) -> Any:
    table = DailyMetric.__table__
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[table.c.tenant_id, table.c.day, table.c.metric, table.c.dimension],
        set_={"value": table.c.value + stmt.excluded.value},
    )


def _name_statement(insert: Any) -> Any:
    table = OfferingName.__table__
    stmt = insert(table)
    return stmt.on_conflict_do_update(index_elements=[table.c.offering_id], set_={"name": stmt.excluded.name})


def _save_booking_statement(insert: Any) -> Any:
    table = BookingFacts.__table__
    return insert(table).on_conflict_do_nothing(index_elements=[table.c.id]).returning(*table.c)


class AnalyticsRepository:
    def __init__(
        self,
        session: AsyncSession,
        *,
        tenant_id: uuid.UUID,
        timezone: str | None = None,
        later: Transaction | None = None,
    ) -> None:
        self._s = session
        self._tenant_id = tenant_id
        self._later = later  # a handler's transaction: counts and names are written at its end
        self._timezone = timezone  # the tenant's, when the caller knows it; else read once here

    async def timezone(self) -> str:
        if self._timezone is not None:
            return self._timezone
        tz: str | None = await self._s.scalar(
            select(TENANTS.c.timezone).where(TENANTS.c.id == self._tenant_id)
        )
        if tz is None:
            raise TenantNotYetKnown(f"tenant {self._tenant_id} not in the replica yet")
        self._timezone = tz
        return tz

    async def settings(self) -> TenantAnalyticsSettings | None:
        found: TenantAnalyticsSettings | None = await self._s.get(TenantAnalyticsSettings, self._tenant_id)
        return found

    async def save_settings(self, retention_days: int, keep_client_details: bool, now: datetime) -> None:
        values = {
            "tenant_id": self._tenant_id,
            "retention_days": retention_days,
            "keep_client_details": keep_client_details,
            "updated_at": now,
        }
        table = TenantAnalyticsSettings.__table__
        stmt = upsert_insert(self._s, table, values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.tenant_id], set_={k: stmt.excluded[k] for k in values}
        )
        await self._s.execute(stmt)

    async def record(self, values: dict[str, Any]) -> bool:
        """Insert a raw event once per (tenant, event_id); False when it was already there."""
        stmt = upsert_statement(self._s, "analytics.record", _record_statement)
        result = await self._s.execute(stmt, {"id": uuid.uuid4(), **values, "tenant_id": self._tenant_id})
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def record_many(self, rows: list[dict[str, Any]]) -> set[str]:
        """`record` for several raw events in one statement; the event ids inserted (not already there)."""
        stmt = upsert_statement(self._s, "analytics.record_many", _record_many_statement)
        rows = [{"id": uuid.uuid4(), **values, "tenant_id": self._tenant_id} for values in rows]
        return set((await self._s.execute(stmt, rows)).scalars())

    async def save_bookings(self, rows: list[dict[str, Any]]) -> None:
        """Bookings' facts inserted on first sight (a booking already there keeps its own)."""
        if rows:
            stmt = upsert_statement(self._s, "analytics.save_bookings", insert_new(BookingFacts.__table__))
            await self._s.execute(stmt, [{**values, "tenant_id": self._tenant_id} for values in rows])

    async def add(self, day: date, metric: str, value: int = 1, dimension: str = "") -> None:
        await self.add_all([(day, metric, value, dimension)])

    async def add_all(self, counts: list[tuple[date, str, int, str]]) -> None:
        """Add (day, metric, value, dimension) counts; in a handler's transaction (`later`) at its
        end, with the other counts of the consumer batch, as one executemany (D15-9)."""
        for day, metric, value, dimension in counts:
            row = {"tenant_id": self._tenant_id, "day": day, "metric": metric, "dimension": dimension}
            await self._write("analytics.daily_metrics", self._add_statement, {**row, "value": value})

    def _add_statement(self) -> Any:
        return upsert_statement(self._s, "analytics.daily_metrics", _add_statement)

    async def _write(self, key: str, statement: Callable[[], Any], row: dict[str, Any]) -> None:
        """A write nothing in a handler reads back: queued to the transaction's end when there is one."""
        if self._later is not None:
            self._later.execute_later(key, statement, row)
        else:
            await self._s.execute(statement(), [row])

    async def metrics(self, start: date, end: date) -> list[DailyMetric]:
        rows = await self._s.scalars(
            select(DailyMetric)
            .where(DailyMetric.tenant_id == self._tenant_id, DailyMetric.day >= start, DailyMetric.day <= end)
            .order_by(DailyMetric.day, DailyMetric.metric, DailyMetric.dimension)
        )
        return list(rows)

    async def offering_names(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not ids:
            return {}
        rows = await self._s.execute(
            select(OfferingName.offering_id, OfferingName.name).where(
                OfferingName.tenant_id == self._tenant_id, OfferingName.offering_id.in_(ids)
            )
        )
        return {r.offering_id: r.name for r in rows}

    async def name_offering(self, offering_id: uuid.UUID, name: str) -> None:
        row = {"tenant_id": self._tenant_id, "offering_id": offering_id, "name": name[:200]}
        await self._write("analytics.offering_names", self._name_statement, row)

    def _name_statement(self) -> Any:
        return upsert_statement(self._s, "analytics.offering_names", _name_statement)

    async def booking(self, booking_id: uuid.UUID) -> BookingFacts | None:
        found: BookingFacts | None = await self._s.scalar(
            select(BookingFacts).where(
                BookingFacts.tenant_id == self._tenant_id, BookingFacts.id == booking_id
            )
        )
        return found

    async def save_booking(self, values: dict[str, Any]) -> BookingFacts:
        """The booking's facts, inserted on first sight (one statement then, RETURNING the row)."""
        stmt = upsert_statement(self._s, "analytics.save_booking", _save_booking_statement)
        inserted = (await self._s.execute(stmt, {**values, "tenant_id": self._tenant_id})).one_or_none()
        if inserted is not None:
            return BookingFacts(**inserted._mapping)  # transient: read, never flushed
        found = await self.booking(values["id"])
        assert found is not None
        return found

    async def occupancy(self, start: date, end: date) -> list[Any]:
        """Per offering and local service day in [start, end]: the confirmed units not cancelled
        (`booked`) and the largest capacity reported for that day (`capacity`, None if none was)."""
        f = BookingFacts
        rows = await self._s.execute(
            select(
                f.offering_id,
                f.service_day,
                func.sum(case((f.cancelled.is_(False), f.quantity), else_=0)).label("booked"),
                func.max(f.day_capacity).label("capacity"),
            )
            .where(f.tenant_id == self._tenant_id, f.confirmed.is_(True), f.service_day.between(start, end))
            .group_by(f.offering_id, f.service_day)
            .order_by(f.service_day, f.offering_id)
        )
        return list(rows.all())

    async def mark_booking(self, booking_id: uuid.UUID, **changes: bool) -> None:
        await self._s.execute(
            update(BookingFacts)
            .where(BookingFacts.tenant_id == self._tenant_id, BookingFacts.id == booking_id)
            .values(**changes)
        )


async def purge_before(
    session: AsyncSession, tenant_id: uuid.UUID | None, before: datetime, *, others: bool = False
) -> int:
    """Delete raw events older than `before`: of one tenant, or (`others`) of every tenant without
    settings of its own."""
    stmt = delete(RawEvent).where(RawEvent.occurred_at < before)
    if others:
        stmt = stmt.where(RawEvent.tenant_id.not_in(select(TenantAnalyticsSettings.tenant_id)))
    else:
        stmt = stmt.where(RawEvent.tenant_id == tenant_id)
    result = await session.execute(stmt)
    return int(result.rowcount)  # type: ignore[attr-defined]


async def all_settings(session: AsyncSession) -> list[TenantAnalyticsSettings]:
    return list(await session.scalars(select(TenantAnalyticsSettings)))


async def anonymise_user(session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.execute(
        update(RawEvent)
        .where(RawEvent.user_id == user_id)
        .values(user_id=None, ip=None, user_agent=None, ttclid=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def raw_count(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(RawEvent).where(RawEvent.tenant_id == tenant_id)
        )
        or 0
    )
