"""Events the receipt service consumes: tenants and bookings (replicas), payments (numbered receipts)."""

from __future__ import annotations

import uuid
from typing import Any

from reservo.contracts.events.booking import BookingEvent
from reservo.contracts.events.payment import PaymentRefunded, PaymentSucceeded
from reservo.contracts.events.user import TenantCreated
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import on_tenant_changed
from reservo.services.receipt.erasure import on_user_erased
from reservo.services.receipt.places import on_location, on_offering
from reservo.services.receipt.repository import ReceiptRepository, upsert_profile
from reservo.services.receipt.service import RENDER_JOB, number_document


class ReceiptNotYetKnown(LookupError):
    """A refund's receipt is not numbered yet: the consumer retries, then dead-letters (replayable)."""


async def on_tenant(event: Envelope[TenantCreated], tx: Transaction, ctx: ServiceContext) -> None:
    await on_tenant_changed(event, tx, ctx)
    d = event.data
    await upsert_profile(
        tx.session,
        {
            "id": d.id,
            "locale": d.locale,
            "address": d.address,
            "tax_id": d.tax_id,
            "branding": dict(d.branding),
            "updated_at": event.occurred_at,
        },
    )


async def on_booking(event: Envelope[BookingEvent], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    values: dict[str, Any] = {
        "id": b.id,
        "offering_id": b.offering_id,
        "offering_name": b.offering_name,
        "offering_kind": b.offering_kind,
        "variant_name": b.variant_name,
        "starts_at": b.start,
        "ends_at": b.end,
        "quantity": b.quantity,
        "unit_amount": b.unit_price.amount,
        "total_amount": b.total.amount,
        "currency": b.currency,
        "tax_rate_bp": b.tax_rate_bp,
        "customer_name": b.customer.name,
        "customer_email": b.customer.email,
        "customer_user_id": b.customer_user_id,
        "status": b.status,
        "booking_version": b.booking_version,
    }
    await ReceiptRepository(tx.session, tenant_id=b.tenant_id).upsert_booking(values)
    # A payment that arrived before its booking left a pending receipt: it can be printed now.
    tx.after_commit(lambda: ctx.wake(RENDER_JOB))


async def on_payment_succeeded(
    event: Envelope[PaymentSucceeded], tx: Transaction, ctx: ServiceContext
) -> None:
    p = event.data
    repo = ReceiptRepository(tx.session, tenant_id=p.tenant_id)
    if await repo.receipt_of_payment(p.id) is not None:
        return  # the provider told twice (a second event for the same payment): one receipt
    await number_document(
        tx,
        ctx,
        kind="receipt",
        receipt_id=uuid.uuid5(p.id, "receipt"),
        payment=p,
        amount=p.amount.amount,
        method=p.method,
        paid_at=p.succeeded_at,
    )


async def on_payment_refunded(event: Envelope[PaymentRefunded], tx: Transaction, ctx: ServiceContext) -> None:
    p = event.data
    repo = ReceiptRepository(tx.session, tenant_id=p.tenant_id)
    credit_id = uuid.uuid5(p.refund_id, "credit_note")
    if await repo.get(credit_id) is not None:
        return
    receipt = await repo.receipt_of_payment(p.id)
    if receipt is None:  # payment.succeeded comes first on the same key; it failed or is in dead letters
        raise ReceiptNotYetKnown(f"no receipt for payment {p.id} yet")
    await number_document(
        tx,
        ctx,
        kind="credit_note",
        receipt_id=credit_id,
        payment=p,
        amount=p.refund.amount,
        method=receipt.method,
        paid_at=p.refunded_at,
        refers_to=receipt.number,
        refund_id=p.refund_id,
        reason=p.reason,
    )


HANDLERS: dict[str, Handler] = {
    "catalog.offering.created": on_offering,
    "catalog.offering.updated": on_offering,
    "location.location.created": on_location,
    "location.location.updated": on_location,
    "location.location.deleted": on_location,
    "user.tenant.created": on_tenant,
    "user.tenant.updated": on_tenant,
    **{
        f"booking.{name}": on_booking
        for name in ("created", "confirmed", "cancelled", "expired", "completed", "no_show")
    },
    "payment.succeeded": on_payment_succeeded,
    "payment.refunded": on_payment_refunded,
    "user.erased": on_user_erased,
}
