"""Where a booking happens, for its emails: notification keeps which location each offering uses
(catalog's offering events) and each location's address and map link (location events), nothing more."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.contracts.events.catalog import OfferingCreated
from reservo.contracts.events.location import LocationCreated
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.notification.models import OfferingPlace, PlaceCopy


async def _newer(session: AsyncSession, table: Any, key: str, values: dict[str, Any]) -> None:
    stmt = upsert_insert(session, table, values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_={k: stmt.excluded[k] for k in values if k != key},
        where=table.c.version < stmt.excluded.version,
    )
    await session.execute(stmt)


async def on_offering(event: Envelope[OfferingCreated], tx: Transaction, ctx: ServiceContext) -> None:
    tx.forget()  # a place read in this transaction may be older than this
    o = event.data.offering
    values = {
        "offering_id": o.id,
        "tenant_id": o.tenant_id,
        "location_id": o.location_id,
        "version": o.version,
    }
    await _newer(tx.session, OfferingPlace.__table__, "offering_id", values)


async def on_location(event: Envelope[LocationCreated], tx: Transaction, ctx: ServiceContext) -> None:
    tx.forget()
    loc = event.data.location
    values = loc.model_dump(include={"id", "tenant_id", "version", "name", "address", "map_url", "deleted"})
    await _newer(tx.session, PlaceCopy.__table__, "id", values)


async def place_of(session: AsyncSession, tenant_id: uuid.UUID, offering_id: uuid.UUID) -> PlaceCopy | None:
    """The offering's location as last heard of; None when it has none or its events have not arrived
    (the email then goes without the address rather than waiting)."""
    return await session.scalar(
        select(PlaceCopy)
        .join(OfferingPlace, OfferingPlace.location_id == PlaceCopy.id)
        .where(
            OfferingPlace.offering_id == offering_id,
            OfferingPlace.tenant_id == tenant_id,
            PlaceCopy.tenant_id == tenant_id,
            PlaceCopy.deleted.is_(False),
        )
    )
