"""Tenant-scoped statements on offerings: every query starts from _scoped()."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.fulltext import matches
from reservo.platform.http.pagination import Keyset
from reservo.services.catalog.models import Offering, OfferingDay


@dataclass(frozen=True, slots=True)
class OfferingFilter:
    statuses: tuple[str, ...] = ("published",)
    kind: str | None = None
    category: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    day: date | None = None
    q: str | None = None


class OfferingRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    def _scoped(self) -> Select[Offering]:
        return select(Offering).where(Offering.tenant_id == self._tenant_id, Offering.deleted_at.is_(None))

    def add(self, offering: Offering) -> Offering:
        offering.tenant_id = self._tenant_id
        self._s.add(offering)
        return offering

    async def get(self, offering_id: uuid.UUID) -> Offering | None:
        return await self._s.scalar(self._scoped().where(Offering.id == offering_id))

    async def replace_days(self, offering_id: uuid.UUID, days: Mapping[date, bool]) -> None:
        await self._s.execute(
            delete(OfferingDay).where(
                OfferingDay.tenant_id == self._tenant_id, OfferingDay.offering_id == offering_id
            )
        )
        if days:
            rows = [
                {"offering_id": offering_id, "tenant_id": self._tenant_id, "day": d, "open": is_open}
                for d, is_open in days.items()
            ]
            await self._s.execute(insert(OfferingDay), rows)

    async def page(self, where: OfferingFilter, limit: int, after: Keyset | None) -> list[Offering]:
        stmt = self._filtered(where).order_by(Offering.created_at, Offering.id).limit(limit)
        if after:
            created, last = after
            stmt = stmt.where(
                or_(Offering.created_at > created, (Offering.created_at == created) & (Offering.id > last))
            )
        return list((await self._s.scalars(stmt)).all())

    def _filtered(self, where: OfferingFilter) -> Select[Offering]:
        stmt = self._scoped().where(Offering.status.in_(where.statuses))
        if where.kind is not None:
            stmt = stmt.where(Offering.kind == where.kind)
        if where.category is not None:
            stmt = stmt.where(func.lower(Offering.category) == where.category.lower())
        if where.min_price is not None:
            stmt = stmt.where(Offering.price_amount >= where.min_price)
        if where.max_price is not None:
            stmt = stmt.where(Offering.price_amount <= where.max_price)
        if where.day is not None:
            stmt = stmt.where(self._open_on(where.day))
        if where.q:
            stmt = stmt.where(matches(self._s, where.q, table="offerings", fts_key="offering_id"))
        return stmt

    def _open_on(self, day: date) -> Any:
        """Products always; an event with a session that local date; a service whose weekly rules
        open that weekday unless an exception closes the date, or whose exception opens it."""
        on_day = and_(OfferingDay.offering_id == Offering.id, OfferingDay.day == day)
        weekday_bit = 1 << day.weekday()
        return or_(
            Offering.kind == "product",
            exists().where(on_day, OfferingDay.open.is_(True)),
            and_(
                Offering.kind == "service",
                Offering.open_weekdays.op("&")(weekday_bit) != 0,
                ~exists().where(on_day),
            ),
        )
