"""Events location consumes: tenants, and which location each offering uses (so one in use stays)."""

from __future__ import annotations

from reservo.contracts.events.catalog import OfferingCreated, OfferingUpdated
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.location.repository import record_offering


async def on_offering_changed(
    event: Envelope[OfferingCreated | OfferingUpdated], tx: Transaction, ctx: ServiceContext
) -> None:
    o = event.data.offering
    await record_offering(
        tx.session,
        tenant_id=o.tenant_id,
        offering_id=o.id,
        location_id=None if o.deleted else o.location_id,
        version=o.version,
    )


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    "catalog.offering.created": on_offering_changed,
    "catalog.offering.updated": on_offering_changed,
}
