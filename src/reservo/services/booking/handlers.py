"""Events booking consumes: tenants and offerings feed its read-model."""

from __future__ import annotations

from reservo.contracts.events.catalog import OfferingCreated
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.booking.models import CapacityCounter, OfferingReplica


async def on_offering_created(event: Envelope[OfferingCreated], tx: Transaction, ctx: ServiceContext) -> None:
    o = event.data
    values = {
        "id": o.id,
        "tenant_id": o.tenant_id,
        "kind": o.kind,
        "name": o.name,
        "status": o.status,
        "price_amount": o.price.amount,
        "currency": o.price.currency,
        "source_updated_at": event.occurred_at,
    }
    table = OfferingReplica.__table__
    stmt = upsert_insert(tx.session, table, values)
    await tx.session.execute(stmt.on_conflict_do_nothing(index_elements=[table.c.id]))
    counters = CapacityCounter.__table__
    await tx.session.execute(
        upsert_insert(
            tx.session,
            counters,
            {"id": o.id, "tenant_id": o.tenant_id, "offering_id": o.id, "capacity": o.capacity, "taken": 0},
        ).on_conflict_do_nothing(index_elements=[counters.c.offering_id])
    )


HANDLERS: dict[str, Handler] = {**TENANT_HANDLERS, "catalog.offering.created": on_offering_created}
