"""Booking's offering read-model: catalog's state stored per offering, counters following capacity.

Fed by catalog's events (handlers.py) and, on a replica miss, by asking catalog itself (read-your-writes,
docs/decisions.md D9-1).
"""

from __future__ import annotations

import uuid

from reservo.contracts.events.catalog import OfferingState
from reservo.platform.db.uow import Transaction
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking import generations
from reservo.services.booking.models import OfferingReplica
from reservo.services.booking.readmodel import STOCK_KEY, session_key
from reservo.services.booking.repository import BookingRepository, OfferingReplicas


async def apply_offering(tx: Transaction, ctx: ServiceContext, o: OfferingState) -> None:
    """Store catalog's state of an offering unless the replica already holds it or a newer one."""
    replicas = OfferingReplicas(tx.session, tenant_id=o.tenant_id)
    current = await replicas.version(o.id)
    if current is not None and current >= o.version:
        return  # a replay or an out-of-order older state: the replica never moves backwards
    await replicas.store(
        {
            "id": o.id,
            "version": o.version,
            "kind": o.kind,
            "name": o.name,
            "status": o.status,
            "deleted": o.deleted,
            "state": o.model_dump(mode="json"),
            "source_updated_at": o.updated_at,
        }
    )
    # Counters made earlier follow capacity changes, never below what is already taken.
    sizes: dict[str, int] = {session_key(s.id): s.capacity for s in o.sessions}
    if o.stock is not None:
        sizes[STOCK_KEY] = o.stock
    for key, capacity in sizes.items():
        await replicas.resize(o.id, capacity, key=key)
    if o.kind == "service":
        await replicas.resize(o.id, o.capacity_per_slot)
    generations.moved(tx, ctx, o.id)


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
        await apply_offering(tx, ctx, state)
    async with ctx.uow.read() as session:
        return await BookingRepository(session, tenant_id=tenant.id).offering(offering_id)
