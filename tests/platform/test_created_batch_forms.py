"""booking.created by the run (D15-30): notification, receipt and analytics take a run of new bookings
in a few statements and end where events one by one end: each booking copied, reminded, mailed and
counted once, also when the batch repeats an event and is delivered again."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from reservo.platform.events.envelope import RawEnvelope
from reservo.services.analytics.models import BookingFacts, DailyMetric, RawEvent
from reservo.services.notification.models import BookingCopy as NotificationCopy
from reservo.services.notification.models import Email, Reminder
from reservo.services.receipt.models import BookingCopy as ReceiptCopy
from tests.conftest import Api
from tests.platform.test_event_batches import _book_and_read_created, _count, _later

SERVICES = ["user", "catalog", "booking", "notification", "receipt", "analytics"]


async def _created_events(make_api: Any, services: list[str], n: int) -> tuple[Api, list[RawEnvelope]]:
    """An app without relays and n bookings' booking.created events waiting in its outbox; the
    tenant and offering came through an app with relays, so every consumer knows them."""
    setup: Api = await make_api(services)
    await setup.tenant("acme")
    offering = await setup.offering("acme", kind="product")
    await setup.settle()
    await setup.runtime.stop()
    api: Api = await make_api(services, workers=False)
    return api, await _book_and_read_created(api, offering["id"], n)


async def _rows(api: Api, service: str, *columns: Any) -> list[tuple[Any, ...]]:
    async with api.runtime.uow(service).read() as session:
        return [tuple(row) for row in (await session.execute(select(*columns))).all()]


async def test_a_run_of_new_bookings_ends_as_one_by_one(make_api) -> None:  # type: ignore[no-untyped-def]
    api, events = await _created_events(make_api, SERVICES, 3)
    bookings = {uuid.UUID(e.data["id"]) for e in events}

    for service in ("notification", "receipt", "analytics"):
        consumer = api.runtime.consumers[service]
        await consumer.deliver_many([*events, events[0]])  # a repeat inside the batch
        await consumer.deliver_many(events)  # and the batch again

    # notification: a copy, a hold reminder and the guest's email per booking, a note to the owner
    assert {r[0] for r in await _rows(api, "notification", NotificationCopy.id)} == bookings
    reminders = await _rows(api, "notification", Reminder.booking_id, Reminder.kind, Reminder.status)
    assert sorted(reminders) == sorted((b, "hold_expiring", "scheduled") for b in bookings)
    emails = Email.__table__
    assert await _count(api, "notification", emails, emails.c.to == "ann@example.com") == 3
    assert await _count(api, "notification", emails, emails.c.template == "staff_new_booking") == 3
    # receipt: the copies a receipt is printed from
    copies = await _rows(api, "receipt", ReceiptCopy.id, ReceiptCopy.status, ReceiptCopy.customer_email)
    assert sorted(copies) == sorted((b, "pending", "ann@example.com") for b in bookings)
    # analytics: each booking counted once (raw event, facts, the day's totals)
    raw = await _rows(api, "analytics", RawEvent.event_id, RawEvent.kind)
    assert sorted(raw) == sorted((str(e.id), "booking_created") for e in events)
    assert {r[0] for r in await _rows(api, "analytics", BookingFacts.id)} == bookings
    totals = {r[0]: r[1] for r in await _rows(api, "analytics", DailyMetric.metric, DailyMetric.value)}
    assert (totals["bookings"], totals["offering_bookings"], totals["offering_units"]) == (3, 3, 3)


async def test_a_run_with_a_confirmation_goes_one_by_one(make_api) -> None:  # type: ignore[no-untyped-def]
    """A confirmation reads what the creation wrote (analytics' facts, receipt's copy): the run keeps
    their order and the confirmation sees its booking."""
    api, (first, second) = await _created_events(make_api, SERVICES, 2)
    batch = [first, _later(first, "confirmed", 2), second]

    for service in ("receipt", "analytics"):
        await api.runtime.consumers[service].deliver_many(batch)

    copies = dict(await _rows(api, "receipt", ReceiptCopy.id, ReceiptCopy.status))
    assert copies == {uuid.UUID(first.data["id"]): "confirmed", uuid.UUID(second.data["id"]): "pending"}
    confirmed = dict(await _rows(api, "analytics", BookingFacts.id, BookingFacts.confirmed))
    assert confirmed == {uuid.UUID(first.data["id"]): True, uuid.UUID(second.data["id"]): False}
    totals = {r[0]: r[1] for r in await _rows(api, "analytics", DailyMetric.metric, DailyMetric.value)}
    assert (totals["bookings"], totals["confirmed"]) == (2, 1)
