"""Events analytics counts: bookings and payments (server side), tenants (replica), erasures.

Every event is recorded once under its envelope id (raw_events is unique per tenant and event id),
so a redelivery counts nothing twice. No customer name, email or phone is kept.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from reservo.contracts.events.booking import BookingEvent
from reservo.contracts.events.payment import PaymentRefunded, PaymentSucceeded
from reservo.contracts.events.user import UserErased
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Batched, Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.analytics.models import BookingFacts
from reservo.services.analytics.repository import AnalyticsRepository, anonymise_user, local_day
from reservo.services.analytics.service import analytics_of, count_server_event, raw_event_row


def _fact_row(b: BookingEvent, timezone: str) -> dict[str, Any]:
    return {
        "id": b.id,
        "offering_id": b.offering_id,
        "quantity": b.quantity,
        "service_day": local_day(b.start, timezone) if b.start else None,
        "day_capacity": getattr(b, "day_capacity", None),  # booking.created's only
    }


def _created_counts(day: date, b: BookingEvent) -> list[tuple[date, str, int, str]]:
    offering = str(b.offering_id)
    return [
        (day, "bookings", 1, ""),
        (day, "offering_bookings", 1, offering),
        (day, "offering_units", b.quantity, offering),
    ]


async def _facts(repo: AnalyticsRepository, b: BookingEvent) -> BookingFacts:
    timezone = await repo.timezone()
    await repo.name_offering(b.offering_id, b.offering_name)
    return await repo.save_booking(_fact_row(b, timezone))


async def _on_bookings(events: list[Envelope[BookingEvent]], tx: Transaction, ctx: ServiceContext) -> None:
    """A run of booking events in a consumer batch (D15-7). New bookings, a tenant's at a time: their
    raw events in one statement (RETURNING what was new), their facts in one executemany, their counts
    and names queued as one by one queues them; they touch rows of their own (a booking's facts, an
    event's raw row) and counts only add, so the order within the run changes nothing. A run with a
    confirmation or a cancellation (which read the facts) goes one by one."""
    if any(e.type != "booking.created" for e in events):
        for event in events:
            await _on_booking(event, tx, ctx)
        return
    tenants: dict[uuid.UUID, list[Envelope[BookingEvent]]] = {}
    for event in events:
        tenants.setdefault(event.data.tenant_id, []).append(event)
    for tenant_id, mine in tenants.items():
        repo, timezone = await analytics_of(tx, tenant_id)
        recorded = await repo.record_many([_raw_event(e, timezone) for e in mine])
        facts: list[dict[str, Any]] = []
        for event in mine:
            if str(event.id) not in recorded:
                continue  # counted before
            b = event.data
            await repo.name_offering(b.offering_id, b.offering_name)
            facts.append(_fact_row(b, timezone))
            await repo.add_all(_created_counts(local_day(event.occurred_at, timezone), b))
        await repo.save_bookings(facts)


def _raw_event(event: Envelope[BookingEvent], timezone: str) -> dict[str, Any]:
    b = event.data
    extra = {"offering_id": b.offering_id, "booking_id": b.id, "user_id": b.customer_user_id}
    kind = f"booking_{event.type.removeprefix('booking.')}"
    return raw_event_row(event.id, kind, event.occurred_at, extra, timezone)


async def _on_booking(event: Envelope[BookingEvent], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    kind = event.type.removeprefix("booking.")
    extra = {"offering_id": b.offering_id, "booking_id": b.id, "user_id": b.customer_user_id}
    counted = await count_server_event(tx, b.tenant_id, event.id, f"booking_{kind}", event.occurred_at, extra)
    if counted is None:
        return
    repo, day = counted
    facts = await _facts(repo, b)
    offering = str(b.offering_id)
    if kind == "created":
        await repo.add_all(_created_counts(day, b))
    elif kind == "confirmed" and not facts.confirmed:
        await repo.add(day, "confirmed")
        if facts.service_day is not None:
            await repo.add(facts.service_day, "units_booked", facts.quantity)
        await repo.mark_booking(b.id, confirmed=True)
    elif kind == "cancelled" and not facts.cancelled:
        await repo.add(day, "cancelled")
        await repo.add(day, "offering_cancelled", dimension=offering)
        if facts.confirmed and facts.service_day is not None:
            await repo.add(facts.service_day, "units_cancelled", facts.quantity)
        await repo.mark_booking(b.id, cancelled=True)


on_booking = Batched(_on_booking, _on_bookings)


async def on_payment_succeeded(
    event: Envelope[PaymentSucceeded], tx: Transaction, ctx: ServiceContext
) -> None:
    p = event.data
    extra = {"booking_id": p.booking_id, "amount": p.amount.amount, "currency": p.amount.currency}
    counted = await count_server_event(tx, p.tenant_id, event.id, "payment_succeeded", p.succeeded_at, extra)
    if counted is None:
        return
    repo, day = counted
    await repo.add_all(
        [
            (day, "paid", 1, ""),
            (day, "payments", 1, p.amount.currency),
            (day, "revenue", p.amount.amount, p.amount.currency),
        ]
    )
    if (facts := await repo.booking(p.booking_id)) is not None:
        await repo.add(day, "offering_paid", dimension=str(facts.offering_id))


async def on_payment_refunded(event: Envelope[PaymentRefunded], tx: Transaction, ctx: ServiceContext) -> None:
    p = event.data
    extra = {"booking_id": p.booking_id, "amount": p.refund.amount, "currency": p.refund.currency}
    counted = await count_server_event(tx, p.tenant_id, event.id, "payment_refunded", p.refunded_at, extra)
    if counted is None:
        return
    repo, day = counted
    await repo.add(day, "refunded", p.refund.amount, dimension=p.refund.currency)


async def on_user_erased(event: Envelope[UserErased], tx: Transaction, ctx: ServiceContext) -> None:
    """Raw events keep the person's id (and, with consent, address, agent and click id): all dropped.
    Aggregates hold no person and stay."""
    await anonymise_user(tx.session, event.data.user_id)


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    **{f"booking.{name}": on_booking for name in ("created", "confirmed", "cancelled")},
    "payment.succeeded": on_payment_succeeded,
    "payment.refunded": on_payment_refunded,
    "user.erased": on_user_erased,
}
