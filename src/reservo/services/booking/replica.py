"""Booking's offering read-model: catalog's state stored per offering, counters following capacity.

Fed by catalog's events (handlers.py) and, on a replica miss, by asking catalog itself (read-your-writes,
docs/decisions.md D9-1).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import case, select, update

from reservo.contracts.events.catalog import OfferingState
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking.models import CapacityCounter, OfferingReplica
from reservo.services.booking.readmodel import STOCK_KEY, session_key
from reservo.services.booking.repository import BookingRepository


async def apply_offering(tx: Transaction, o: OfferingState) -> None:
    """Store catalog's state of an offering unless the replica already holds it or a newer one."""
    current = await tx.session.scalar(
        select(OfferingReplica.version).where(
            OfferingReplica.id == o.id, OfferingReplica.tenant_id == o.tenant_id
        )
    )
    if current is not None and current >= o.version:
        return  # a replay or an out-of-order older state: the replica never moves backwards
    values: dict[str, Any] = {
        "id": o.id,
        "tenant_id": o.tenant_id,
        "version": o.version,
        "kind": o.kind,
        "name": o.name,
        "status": o.status,
        "deleted": o.deleted,
        "state": o.model_dump(mode="json"),
        "source_updated_at": o.updated_at,
    }
    table = OfferingReplica.__table__
    stmt = upsert_insert(tx.session, table, values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.id], set_={k: stmt.excluded[k] for k in values if k != "id"}
    )
    await tx.session.execute(stmt)
    await _resize_counters(tx, o)


async def fill_offering(
    ctx: ServiceContext, tenant: TenantRef, offering_id: uuid.UUID
) -> OfferingReplica | None:
    """A replica miss: ask catalog (the owner) for the offering and fill the read-model with it, so an
    offering created a moment ago is bookable at once (read-your-writes, docs/decisions.md D9-1)."""
    if ctx.owners is None:
        return None
    path = f"/api/v1/tenants/{tenant.slug}/offerings/{offering_id}/state"
    found = await ctx.owners.get_json("catalog", path)
    if found is None:
        return None
    state = OfferingState.model_validate(found)
    if state.tenant_id != tenant.id or state.id != offering_id:
        return None
    async with ctx.uow.transaction() as tx:
        await apply_offering(tx, state)
    async with ctx.uow.read() as session:
        return await BookingRepository(session, tenant_id=tenant.id).offering(offering_id)


async def _resize_counters(tx: Transaction, o: OfferingState) -> None:
    """Counters made earlier follow capacity changes, never below what is already taken."""
    sizes: dict[str, int] = {session_key(s.id): s.capacity for s in o.sessions}
    if o.stock is not None:
        sizes[STOCK_KEY] = o.stock
    for key, capacity in sizes.items():
        await _resize(tx, o, CapacityCounter.key == key, capacity)
    if o.kind == "service":
        await _resize(tx, o, CapacityCounter.resource_id.is_not(None), o.capacity_per_slot)


async def _resize(tx: Transaction, o: OfferingState, which: Any, capacity: int) -> None:
    c = CapacityCounter
    await tx.session.execute(
        update(c)
        .where(c.tenant_id == o.tenant_id, c.offering_id == o.id, which, c.capacity != capacity)
        .values(capacity=case((c.taken > capacity, c.taken), else_=capacity))
        .execution_options(synchronize_session=False)
    )
