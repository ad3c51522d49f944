"""Events admin consumes: tenants (replica), bookings, payments and accounts (read-models)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from reservo.contracts.events.booking import BookingEvent
from reservo.contracts.events.payment import PaymentRefunded, PaymentSucceeded
from reservo.contracts.events.user import UserErased, UserRegistered
from reservo.platform.db.dialect import upsert_insert, upsert_rows
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Batched, Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.admin.models import AccountRow, BookingRow, PaymentRow

BOOKINGS = BookingRow.__table__
PAYMENTS = PaymentRow.__table__
ACCOUNTS = AccountRow.__table__


def _row(b: BookingEvent) -> dict[str, Any]:
    return {
        "id": b.id,
        "tenant_id": b.tenant_id,
        "offering_id": b.offering_id,
        "offering_name": b.offering_name[:200],
        "offering_kind": b.offering_kind,
        "status": b.status,
        "quantity": b.quantity,
        "total_amount": b.total.amount,
        "currency": b.total.currency,
        "starts_at": b.start,
        "booked_at": b.created_at,
        "booking_version": b.booking_version,
    }


async def _on_bookings(events: list[Envelope[BookingEvent]], tx: Transaction, ctx: ServiceContext) -> None:
    """The bookings read-model, newest version wins; in order, one statement for the run."""
    rows = [_row(e.data) for e in events]
    stmt = upsert_rows(tx.session, BOOKINGS)
    await tx.session.execute(
        stmt.on_conflict_do_update(
            index_elements=[BOOKINGS.c.id],
            set_={k: stmt.excluded[k] for k in rows[0] if k != "id"},
            where=BOOKINGS.c.booking_version < stmt.excluded.booking_version,
        ),
        rows,
    )


async def _on_booking(event: Envelope[BookingEvent], tx: Transaction, ctx: ServiceContext) -> None:
    await _on_bookings([event], tx, ctx)


on_booking = Batched(_on_booking, _on_bookings)


async def on_payment_succeeded(
    event: Envelope[PaymentSucceeded], tx: Transaction, ctx: ServiceContext
) -> None:
    p = event.data
    values = {
        "id": p.id,
        "tenant_id": p.tenant_id,
        "booking_id": p.booking_id,
        "amount": p.amount.amount,
        "refunded_amount": 0,
        "currency": p.amount.currency,
        "succeeded_at": p.succeeded_at,
    }
    await tx.session.execute(
        upsert_insert(tx.session, PAYMENTS, values).on_conflict_do_nothing(index_elements=[PAYMENTS.c.id])
    )


async def on_payment_refunded(event: Envelope[PaymentRefunded], tx: Transaction, ctx: ServiceContext) -> None:
    """`refunded_total` is the running total: out of order or twice, the largest one is the truth."""
    p = event.data
    await tx.session.execute(
        update(PaymentRow)
        .where(PaymentRow.id == p.id, PaymentRow.refunded_amount < p.refunded_total.amount)
        .values(refunded_amount=p.refunded_total.amount)
    )


async def on_user_registered(event: Envelope[UserRegistered], tx: Transaction, ctx: ServiceContext) -> None:
    values = {"id": event.data.id, "registered_at": event.occurred_at}
    await tx.session.execute(
        upsert_insert(tx.session, ACCOUNTS, values).on_conflict_do_nothing(index_elements=[ACCOUNTS.c.id])
    )


async def on_user_erased(event: Envelope[UserErased], tx: Transaction, ctx: ServiceContext) -> None:
    """Nothing personal is kept here; the account only counts as deleted from now on."""
    values = {"id": event.data.user_id, "registered_at": event.occurred_at, "erased_at": event.occurred_at}
    stmt = upsert_insert(tx.session, ACCOUNTS, values)
    await tx.session.execute(
        stmt.on_conflict_do_update(index_elements=[ACCOUNTS.c.id], set_={"erased_at": event.occurred_at})
    )


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    **{
        f"booking.{name}": on_booking
        for name in (
            "created",
            "confirmed",
            "cancelled",
            "expired",
            "completed",
            "no_show",
            "payment_rejected",
        )
    },
    "payment.succeeded": on_payment_succeeded,
    "payment.refunded": on_payment_refunded,
    "user.registered": on_user_registered,
    "user.erased": on_user_erased,
}
