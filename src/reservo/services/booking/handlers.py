"""Events booking consumes: tenants and offerings feed its read-model; payments confirm and refund."""

from __future__ import annotations

from reservo.contracts.events.catalog import OfferingCreated, OfferingUpdated
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.booking.erasure import on_user_erased
from reservo.services.booking.payments import on_payment_refunded, on_payment_succeeded
from reservo.services.booking.replica import apply_offering


async def on_offering_changed(
    event: Envelope[OfferingCreated | OfferingUpdated], tx: Transaction, ctx: ServiceContext
) -> None:
    await apply_offering(tx, ctx, event.data.offering)


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    "catalog.offering.created": on_offering_changed,
    "catalog.offering.updated": on_offering_changed,
    "payment.succeeded": on_payment_succeeded,
    "payment.refunded": on_payment_refunded,
    "user.erased": on_user_erased,
}
