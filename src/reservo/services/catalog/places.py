"""Catalog's location read-model: the name, address, coordinates and map link of each location an
offering may point at, fed by `location.location.*` events and, on a miss, by asking the location
service (read-your-writes, D9-1), like booking's offering replica. Also the near-me geometry."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.contracts.events.location import LocationCreated, LocationState
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.catalog.models import LocationReplica

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


async def apply_location(session: AsyncSession, state: LocationState) -> None:
    """Store a location's state unless the replica already holds it or a newer one."""
    values: dict[str, Any] = state.model_dump(
        include={"id", "tenant_id", "version", "name", "address", "latitude", "longitude", "place_id"}
    )
    values.update(map_url=state.map_url, deleted=state.deleted)
    table = LocationReplica.__table__
    stmt = upsert_insert(session, table, values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={k: stmt.excluded[k] for k in values if k != "id"},
        where=table.c.version < stmt.excluded.version,
    )
    await session.execute(stmt)


async def on_location_changed(event: Envelope[LocationCreated], tx: Transaction, ctx: ServiceContext) -> None:
    await apply_location(tx.session, event.data.location)


async def location_of(
    ctx: ServiceContext, tenant: TenantRef, location_id: uuid.UUID
) -> LocationReplica | None:
    """The tenant's location, from the replica or else from the location service; None if there is none."""
    async with ctx.uow.read() as session:
        found = await _get(session, tenant.id, location_id)
    if found is not None or ctx.owners is None:
        return None if found is None or found.deleted else found
    body = await ctx.owners.get_json("location", f"/api/v1/tenants/{tenant.slug}/locations/{location_id}")
    if body is None or str(body.get("id")) != str(location_id):
        return None
    state = LocationState.model_validate({**body, "tenant_id": tenant.id, "deleted": False})
    async with ctx.uow.transaction() as tx:
        await apply_location(tx.session, state)
    async with ctx.uow.read() as session:
        return await _get(session, tenant.id, location_id)


async def _get(session: AsyncSession, tenant_id: uuid.UUID, location_id: uuid.UUID) -> LocationReplica | None:
    return await session.scalar(
        select(LocationReplica).where(
            LocationReplica.tenant_id == tenant_id, LocationReplica.id == location_id
        )
    )


async def locations_by_id(
    session: AsyncSession, ids: Iterable[uuid.UUID | None]
) -> dict[uuid.UUID, LocationReplica]:
    """Replicas of the given locations (callers pass ids read from their own tenant's offerings)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.scalars(
        select(LocationReplica).where(LocationReplica.id.in_(wanted), LocationReplica.deleted.is_(False))
    )
    return {r.id: r for r in rows}


@dataclass(frozen=True, slots=True)
class Near:
    latitude: float
    longitude: float
    radius_km: float

    def box(self) -> tuple[float, float, list[tuple[float, float]]]:
        """A latitude range and one or two longitude ranges enclosing the circle (the prefilter)."""
        dlat = math.degrees(self.radius_km / EARTH_RADIUS_KM)
        lat_min, lat_max = max(-90.0, self.latitude - dlat), min(90.0, self.latitude + dlat)
        if lat_min <= -90 or lat_max >= 90:
            return lat_min, lat_max, [(-180.0, 180.0)]  # a pole inside: every longitude
        dlng = math.degrees(self.radius_km / (EARTH_RADIUS_KM * math.cos(math.radians(self.latitude))))
        if dlng >= 180:
            return lat_min, lat_max, [(-180.0, 180.0)]
        west, east = self.longitude - dlng, self.longitude + dlng
        if west < -180:  # across the antimeridian: two ranges
            return lat_min, lat_max, [(west + 360, 180.0), (-180.0, east)]
        if east > 180:
            return lat_min, lat_max, [(west, 180.0), (-180.0, east - 360)]
        return lat_min, lat_max, [(west, east)]

    def distance_km(self, latitude: float, longitude: float) -> float:
        return haversine_km(self.latitude, self.longitude, latitude, longitude)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
