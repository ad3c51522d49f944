"""What booking does when a payment succeeds: confirm, re-claim an expired hold, or hand it back.

    pending  + paid (right amount)              -> confirmed
    expired  + paid, capacity left (re-claimed) -> confirmed
    expired  + paid, sold out                   -> stays expired; booking.payment_rejected (payment refunds)
    anything + wrong amount or currency         -> unchanged; booking.payment_rejected
A full refund of a confirmed booking (staff refund at the provider or through the API) cancels it.
"""

from __future__ import annotations

from datetime import datetime

from reservo.contracts.booking import PAID
from reservo.contracts.events.booking import BookingCancelled, BookingConfirmed, BookingPaymentRejected
from reservo.contracts.events.payment import PaymentRefunded, PaymentSucceeded
from reservo.contracts.money import MoneyPayload
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.booking import generations
from reservo.services.booking.lifecycle import advance
from reservo.services.booking.models import Booking
from reservo.services.booking.repository import BookingRepository
from reservo.services.booking.service import event_fields, publish


async def on_payment_succeeded(
    event: Envelope[PaymentSucceeded], tx: Transaction, ctx: ServiceContext
) -> None:
    paid = event.data
    repo = BookingRepository(tx.session, tenant_id=paid.tenant_id)
    booking = await repo.get(paid.booking_id)
    if booking is None:
        raise LookupError(f"payment for unknown booking {paid.booking_id}")  # retried, then dead-lettered
    now = ctx.clock.now()

    def reject(reason: str) -> None:
        publish(
            tx,
            BookingPaymentRejected(
                **event_fields(booking), payment_id=paid.id, reason=reason, rejected_at=now
            ),
        )

    if booking.status in PAID:
        return  # a redelivery, or staff confirmed it by hand first
    if (paid.amount.amount, paid.amount.currency) != (booking.total_amount, booking.currency):
        return reject("amount_mismatch")
    if booking.status == "cancelled":
        return reject("not_payable")
    # The hold ran out before the money arrived: take the capacity again if any is left.
    if (
        booking.status == "expired"
        and booking.counter_id is not None
        and not await repo.claim(booking.counter_id, booking.quantity)
    ):
        return reject("sold_out")
    if booking.status == "expired":  # re-claimed above
        generations.moved(tx, ctx, booking.resource_id or booking.offering_id)
    if not await advance(ctx, tx, repo, booking, "confirmed", _confirmed, now, confirmed_at=now):
        raise RuntimeError("booking changed meanwhile")  # retried with the fresh row


async def on_payment_refunded(event: Envelope[PaymentRefunded], tx: Transaction, ctx: ServiceContext) -> None:
    refund = event.data
    if refund.status != "refunded" or refund.reason == "duplicate":
        # A partial refund leaves the booking as it is; a "duplicate" refund gives back a second
        # payment of an already paid booking, which stays paid by the first.
        return
    repo = BookingRepository(tx.session, tenant_id=refund.tenant_id)
    booking = await repo.get(refund.booking_id)
    if booking is None or booking.status != "confirmed":
        return  # already cancelled (the refund came from the cancellation), or never confirmed
    now = ctx.clock.now()

    def cancelled(b: Booking, at: datetime) -> BookingCancelled:
        total = MoneyPayload.of(refund.refunded_total.amount, b.currency)
        return BookingCancelled(**event_fields(b), cancelled_at=at, cancelled_by="staff", refund=total)

    values = {"cancelled_at": now, "refund_amount": refund.refunded_total.amount}
    if not await advance(ctx, tx, repo, booking, "cancelled", cancelled, now, **values):
        raise RuntimeError("booking changed meanwhile")


def _confirmed(booking: Booking, now: datetime) -> BookingConfirmed:
    return BookingConfirmed(**event_fields(booking), confirmed_at=now)
