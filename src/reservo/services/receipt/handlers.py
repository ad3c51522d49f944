"""Events the receipt service consumes: tenants, bookings and locations (replicas), payments
(numbered receipts).

A payment's receipt is numbered once its booking is confirmed, in whichever handler learns the second
of the two facts (payment succeeded, booking paid for); a payment booking rejects (late and sold out,
wrong amount, cancelled: booking.payment_rejected, refunded) is never receipted (D12-6)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog

from reservo.contracts.booking import PAID
from reservo.contracts.events.booking import BookingEvent, BookingPaymentRejected
from reservo.contracts.events.payment import PaymentRefunded, PaymentSucceeded
from reservo.contracts.events.user import TenantCreated
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Batched, Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import on_tenant_changed
from reservo.services.receipt.erasure import on_user_erased
from reservo.services.receipt.models import LOCATIONS
from reservo.services.receipt.repository import ReceiptRepository, upsert_bookings, upsert_profile
from reservo.services.receipt.service import RENDER_JOB, issue_receipt, number_document

log = structlog.get_logger(__name__)


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


def _copy(b: BookingEvent) -> dict[str, Any]:
    return {
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


async def _on_booking(event: Envelope[BookingEvent], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    repo = ReceiptRepository(tx.session, tenant_id=b.tenant_id)
    await repo.upsert_booking(_copy(b))
    if b.status in PAID:  # confirmed: the payments that waited for it get their receipts now
        for seen in await repo.waiting_payments(b.id):
            await issue_receipt(tx, ctx, PaymentSucceeded.model_validate(seen.payment))
    # A receipt numbered before its booking's data arrived can be printed now; a payment whose
    # handler ran beside this one is numbered by the job (see issue_receipt).
    tx.after_commit(lambda: ctx.wake(RENDER_JOB))


async def _on_bookings(events: list[Envelope[BookingEvent]], tx: Transaction, ctx: ServiceContext) -> None:
    """A run of booking events in a consumer batch (D15-7): the copies as one executemany of the
    one-row upsert, in order. A paid booking among them issues receipts from what the copies say
    at that point, so such a run goes one by one."""
    if any(e.data.status in PAID for e in events):
        for event in events:
            await _on_booking(event, tx, ctx)
        return
    await upsert_bookings(tx.session, [{**_copy(e.data), "tenant_id": e.data.tenant_id} for e in events])
    tx.after_commit(lambda: ctx.wake(RENDER_JOB))


on_booking = Batched(_on_booking, _on_bookings)


async def on_payment_rejected(
    event: Envelope[BookingPaymentRejected], tx: Transaction, ctx: ServiceContext
) -> None:
    """Booking did not take this payment; the payment service refunds it. No receipt, no credit note."""
    await _on_booking(event, tx, ctx)  # type: ignore[arg-type]
    r = event.data
    repo = ReceiptRepository(tx.session, tenant_id=r.tenant_id)
    await repo.reject_payment(r.payment_id, r.id, ctx.clock.now())
    seen = await repo.payment_seen(r.payment_id)
    if seen is not None and seen.outcome == "receipted":  # not reachable with one payment per booking
        log.warning("receipt.rejected_payment_receipted", payment_id=str(r.payment_id))


async def on_payment_succeeded(
    event: Envelope[PaymentSucceeded], tx: Transaction, ctx: ServiceContext
) -> None:
    p = event.data
    repo = ReceiptRepository(tx.session, tenant_id=p.tenant_id)
    if await repo.receipt_of_payment(p.id) is not None:
        return  # the provider told twice (a second event for the same payment): one receipt
    await repo.note_payment(p.id, p.booking_id, p.model_dump(mode="json"), ctx.clock.now())
    booking = await repo.booking(p.booking_id)
    if booking is not None and booking.status in PAID:
        await issue_receipt(tx, ctx, p)  # does nothing when booking rejected the payment first
    else:  # booking's verdict may be committing beside this transaction: the job looks after both
        tx.after_commit(lambda: ctx.wake(RENDER_JOB))


async def on_payment_refunded(event: Envelope[PaymentRefunded], tx: Transaction, ctx: ServiceContext) -> None:
    p = event.data
    repo = ReceiptRepository(tx.session, tenant_id=p.tenant_id)
    credit_id = uuid.uuid5(p.refund_id, "credit_note")
    if await repo.get(credit_id) is not None:
        return
    receipt = await repo.receipt_of_payment(p.id)
    if receipt is None:
        seen = await repo.payment_seen(p.id)
        if seen is not None and seen.outcome == "rejected":
            return  # booking never took it: nothing was receipted, so there is nothing to credit
        # Waiting for its booking's confirmation (or payment.succeeded failed, dead letters).
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
    **LOCATIONS.handlers,  # where an offering happens (platform/locations.py)
    "user.tenant.created": on_tenant,
    "user.tenant.updated": on_tenant,
    **{
        f"booking.{name}": on_booking
        for name in ("created", "confirmed", "cancelled", "expired", "completed", "no_show")
    },
    "booking.payment_rejected": on_payment_rejected,
    "payment.succeeded": on_payment_succeeded,
    "payment.refunded": on_payment_refunded,
    "user.erased": on_user_erased,
}
