"""Events booking consumes: tenants and offerings feed its read-model."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select, update

from reservo.contracts.events.catalog import OfferingCreated, OfferingState, OfferingUpdated
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.booking.models import CapacityCounter, OfferingReplica
from reservo.services.booking.payments import on_payment_refunded, on_payment_succeeded
from reservo.services.booking.readmodel import STOCK_KEY, session_key


async def on_offering_changed(
    event: Envelope[OfferingCreated | OfferingUpdated], tx: Transaction, ctx: ServiceContext
) -> None:
    o = event.data.offering
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


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    "catalog.offering.created": on_offering_changed,
    "catalog.offering.updated": on_offering_changed,
    "payment.succeeded": on_payment_succeeded,
    "payment.refunded": on_payment_refunded,
}
