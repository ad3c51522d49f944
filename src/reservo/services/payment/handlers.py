"""Events payment consumes: bookings feed its replica; a cancellation with a refund, or a payment
booking could not accept, is refunded for real."""

from __future__ import annotations

from typing import Any

import structlog

from reservo.contracts.events.booking import BookingCancelled, BookingEvent, BookingPaymentRejected
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Batched, Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.payment.erasure import on_user_erased
from reservo.services.payment.ledger import request_refund
from reservo.services.payment.repository import PaymentRepository, upsert_bookings

log = structlog.get_logger(__name__)


def _replica(b: BookingEvent) -> dict[str, Any]:
    return {
        "id": b.id,
        "status": b.status,
        "amount": b.total.amount,
        "currency": b.total.currency,
        "customer_user_id": b.customer_user_id,
        "customer_email": b.customer.email,
        "description": b.offering_name[:200],
        "expires_at": b.expires_at,
        "booking_version": b.booking_version,
    }


async def _on_booking(event: Envelope[BookingEvent], tx: Transaction, ctx: ServiceContext) -> None:
    await PaymentRepository(tx.session, tenant_id=event.data.tenant_id).upsert_booking(_replica(event.data))


async def _on_bookings(events: list[Envelope[BookingEvent]], tx: Transaction, ctx: ServiceContext) -> None:
    await upsert_bookings(tx.session, [{**_replica(e.data), "tenant_id": e.data.tenant_id} for e in events])


on_booking = Batched(_on_booking, _on_bookings)


async def on_booking_cancelled(
    event: Envelope[BookingCancelled], tx: Transaction, ctx: ServiceContext
) -> None:
    """A cancellation within policy refunds what booking says; only what is not refunded yet (a
    staff refund may have come first), once per event."""
    b = event.data
    await on_booking(event, tx, ctx)
    if b.refund is None or b.refund.amount <= 0:
        return
    repo = PaymentRepository(tx.session, tenant_id=b.tenant_id)
    payment = await repo.paid_for(b.id)
    if payment is None:
        log.warning("payment.cancel_refund_without_payment", booking_id=str(b.id))
        return
    already = payment.refunded_amount + payment.refund_pending_amount
    amount = min(b.refund.amount, payment.amount) - already
    if amount <= 0:
        return
    now = ctx.clock.now()
    await request_refund(repo, payment.id, amount, "booking cancelled", f"booking.cancelled:{event.id}", now)
    tx.after_commit(lambda: ctx.wake("refunds"))


async def on_payment_rejected(
    event: Envelope[BookingPaymentRejected], tx: Transaction, ctx: ServiceContext
) -> None:
    """Booking could not take this payment (sold out after the hold expired, wrong amount): give it back."""
    b = event.data
    await on_booking(event, tx, ctx)
    repo = PaymentRepository(tx.session, tenant_id=b.tenant_id)
    payment = await repo.get(b.payment_id)
    if payment is None or payment.status not in ("succeeded", "partially_refunded"):
        return
    reason = f"booking could not accept the payment: {b.reason}"
    await request_refund(
        repo, payment.id, None, reason, f"booking.payment_rejected:{event.id}", ctx.clock.now()
    )
    tx.after_commit(lambda: ctx.wake("refunds"))


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    "booking.created": on_booking,
    "booking.confirmed": on_booking,
    "booking.expired": on_booking,
    "booking.completed": on_booking,
    "booking.no_show": on_booking,
    "booking.cancelled": on_booking_cancelled,
    "booking.payment_rejected": on_payment_rejected,
    "user.erased": on_user_erased,
}
