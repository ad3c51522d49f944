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
from reservo.services.catalog.models import LocationReplica, Offering, OfferingDay
from reservo.services.catalog.places import Near


@dataclass(frozen=True, slots=True)
class OfferingFilter:
    statuses: tuple[str, ...] = ("published",)
    kind: str | None = None
    category: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    day: date | None = None
    q: str | None = None


# Near-me answers rank at most this many offerings in the bounding box (closest first after ranking).
MAX_NEAR_CANDIDATES = 5000


class OfferingRepository:
    """Offerings of one tenant; `tenant_id=None` is cross-tenant discovery, which only `near()` serves
    (published offerings only, see CatalogService.discover)."""

    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID | None) -> None:
        self._s = session
        self._tenant_id = tenant_id

    def _scoped(self) -> Select[Offering]:
        stmt = select(Offering).where(Offering.deleted_at.is_(None))
        if self._tenant_id is None:
            return stmt.where(Offering.status == "published")
        return stmt.where(Offering.tenant_id == self._tenant_id)

    def add(self, offering: Offering) -> Offering:
        assert self._tenant_id is not None
        offering.tenant_id = self._tenant_id
        self._s.add(offering)
        return offering

    async def get(self, offering_id: uuid.UUID) -> Offering | None:
        return await self._s.scalar(self._scoped().where(Offering.id == offering_id))

    async def near(self, where: OfferingFilter, near: Near) -> list[tuple[Offering, LocationReplica, float]]:
        """Offerings whose location lies within `near`, closest first (ties by id): a bounding box on
        the indexed latitude/longitude narrows the rows, the haversine distance decides (D14-L1)."""
        lat_min, lat_max, lng_ranges = near.box()
        stmt = (
            self._filtered(where)
            .add_columns(LocationReplica)
            .join(
                LocationReplica,
                (LocationReplica.id == Offering.location_id)
                & (LocationReplica.tenant_id == Offering.tenant_id),
            )
            .where(
                LocationReplica.deleted.is_(False),
                LocationReplica.latitude.between(lat_min, lat_max),
                or_(*(LocationReplica.longitude.between(w, e) for w, e in lng_ranges)),
            )
            .limit(MAX_NEAR_CANDIDATES)
        )
        found = []
        for offering, place in await self._s.execute(stmt):
            distance = near.distance_km(place.latitude, place.longitude)
            if distance <= near.radius_km:
                found.append((offering, place, distance))
        found.sort(key=lambda row: (row[2], str(row[0].id)))
        return found

    async def replace_days(self, offering_id: uuid.UUID, days: Mapping[date, bool]) -> None:
        assert self._tenant_id is not None
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
