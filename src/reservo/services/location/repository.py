"""Tenant-scoped statements on locations and on the offerings that use them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import upsert_insert
from reservo.platform.http.pagination import Keyset
from reservo.services.location.models import Location, OfferingLocation


class LocationRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    def _scoped(self) -> Select[Location]:
        return select(Location).where(Location.tenant_id == self._tenant_id)

    def add(self, location: Location) -> Location:
        location.tenant_id = self._tenant_id
        self._s.add(location)
        return location

    async def get(self, location_id: uuid.UUID) -> Location | None:
        return await self._s.scalar(self._scoped().where(Location.id == location_id))

    async def page(self, limit: int, after: Keyset | None) -> list[Location]:
        stmt = self._scoped().order_by(Location.created_at, Location.id).limit(limit)
        if after:
            stmt = stmt.where(
                or_(
                    Location.created_at > after.at,
                    (Location.created_at == after.at) & (Location.id > after.id),
                )
            )
        return list((await self._s.scalars(stmt)).all())

    async def in_use(self, location_id: uuid.UUID) -> bool:
        used = exists().where(
            OfferingLocation.tenant_id == self._tenant_id, OfferingLocation.location_id == location_id
        )
        return bool(await self._s.scalar(select(used)))

    async def delete(self, location: Location) -> None:
        await self._s.delete(location)


async def record_offering(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    offering_id: uuid.UUID,
    location_id: uuid.UUID | None,
    version: int,
) -> None:
    """Which location an offering uses, replacing an older record only (replays are harmless)."""
    values: dict[str, Any] = {
        "offering_id": offering_id,
        "tenant_id": tenant_id,
        "location_id": location_id,
        "version": version,
    }
    table = OfferingLocation.__table__
    stmt = upsert_insert(session, table, values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.offering_id],
        set_={k: stmt.excluded[k] for k in values if k != "offering_id"},
        where=table.c.version < stmt.excluded.version,
    )
    await session.execute(stmt)
