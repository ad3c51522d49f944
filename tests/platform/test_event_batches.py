"""Events by the batch keep the guarantees of events one by one; NOTIFY wakes a relay in another runtime."""

from __future__ import annotations

import dataclasses
import time
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from reservo.platform.config import Settings
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope, RawEnvelope
from reservo.platform.service import ServiceContext
from reservo.services import notification
from reservo.services.admin.models import BookingRow
from reservo.services.notification.handlers import on_booking_created
from reservo.services.notification.models import Email
from reservo.services.payment.models import BookingReplica
from tests.conftest import Api, eventually


async def _count(api: Api, service: str, table: Any, *where: Any) -> int:
    async with api.runtime.uow(service).read() as session:
        return int(await session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


SERVICES = ["user", "catalog", "booking", "notification"]


async def _created_events(make_api: Any, api: Api, n: int) -> list[RawEnvelope]:
    """n bookings made through `api` (no relays) whose booking.created events wait in the outbox."""
    setup: Api = await make_api(SERVICES)
    await setup.tenant("acme")
    offering = await setup.offering("acme", kind="product")
    await setup.runtime.stop()
    return await _book_and_read_created(api, offering["id"], n)


async def _book_and_read_created(api: Api, offering_id: str, n: int) -> list[RawEnvelope]:
    """n bookings through `api` (no relays); their booking.created events as they wait in the outbox."""
    for _ in range(n):
        assert (await api.book(offering_id)).status_code == 201
    outbox = api.runtime.uow("booking").tables.outbox
    async with api.runtime.uow("booking").read() as session:
        rows = await session.scalars(
            select(outbox.c.envelope).where(outbox.c.type == "booking.created").order_by(outbox.c.position)
        )
        return [RawEnvelope.model_validate(r) for r in rows]


class _FailsFor:
    """The real handler, except for one event (a bug that only this event's data triggers)."""

    def __init__(self) -> None:
        self.event_id: uuid.UUID | None = None

    async def __call__(self, event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        if event.id == self.event_id:
            raise RuntimeError("this one breaks the template")
        await on_booking_created(event, tx, ctx)


class TestBatches:
    async def test_a_batch_applies_each_event_once_even_when_delivered_again(self, make_api) -> None:  # type: ignore[no-untyped-def]
        api: Api = await make_api(SERVICES, workers=False)
        events = await _created_events(make_api, api, 3)
        consumer = api.runtime.consumers["notification"]

        await consumer.deliver_many([*events, events[0]])  # a duplicate inside the batch, too
        await consumer.deliver_many(events)  # the whole batch redelivered

        emails = Email.__table__  # the customer's confirmation, once per booking (staff get a note too)
        assert await _count(api, "notification", emails, emails.c.to == "ann@example.com") == 3
        inbox = api.runtime.uow("notification").tables.inbox
        assert await _count(api, "notification", inbox, inbox.c.type == "booking.created") == 3

    async def test_one_failing_event_dead_letters_alone_and_the_rest_of_its_batch_applies(
        self,
        make_api,  # type: ignore[no-untyped-def]
        settings: Settings,
    ) -> None:
        failing = _FailsFor()
        spec = dataclasses.replace(
            notification.spec, handlers={**notification.spec.handlers, "booking.created": failing}
        )
        api: Api = await make_api(["user", "catalog", "booking", spec], workers=False)
        events = await _created_events(make_api, api, 3)
        failing.event_id = events[1].id

        await api.runtime.consumers["notification"].deliver_many(events)

        emails = Email.__table__
        assert await _count(api, "notification", emails, emails.c.to == "ann@example.com") == 2
        assert await _count(api, "notification", emails, emails.c.source_event_id == events[1].id) == 0
        dead = api.runtime.uow("notification").tables.dead_letters
        assert await _count(api, "notification", dead, dead.c.event_id == events[1].id) == 1


@pytest.mark.postgres
class TestNotify:
    async def test_a_commit_in_a_process_without_relays_wakes_the_relay_at_once(
        self,
        make_api,  # type: ignore[no-untyped-def]
        backend: str,
    ) -> None:
        if backend != "postgres":
            pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
        services = SERVICES
        # The relays poll every 60 s: only a notification can bring the email within the deadline.
        slow = {"relay_poll_seconds": 60.0}
        relays: Api = await make_api(services, settings_update=slow)
        await relays.tenant("acme")
        offering = await relays.offering("acme", kind="product")
        front: Api = await make_api(services, workers=False, settings_update=slow)

        started = time.monotonic()
        booked = await front.book(offering["id"])
        assert booked.status_code == 201
        emails = Email.__table__
        await eventually(lambda: _count(relays, "notification", emails), timeout=15)
        assert time.monotonic() - started < 15


def _later(envelope: RawEnvelope, status: str, version: int) -> RawEnvelope:
    """The same booking's next event (another id, a newer booking_version)."""
    at = envelope.data["created_at"]
    extra = {"confirmed_at": at} if status == "confirmed" else {"cancelled_at": at, "cancelled_by": "staff"}
    data = {**envelope.data, "status": status, "booking_version": version, **extra}
    return envelope.model_copy(update={"id": uuid.uuid4(), "type": f"booking.{status}", "data": data})


class TestBatchForms:
    async def test_replicas_written_for_a_run_in_one_statement_keep_the_newest_version(
        self, make_api
    ) -> None:  # type: ignore[no-untyped-def]
        """payment's and admin's booking replicas take a run of booking events in one executemany:
        out of order and repeated inside the batch, the newest version still wins, as one by one."""
        services = ["user", "catalog", "booking", "payment", "admin"]
        api: Api = await make_api(services, workers=False)
        first, second = await _created_events(make_api, api, 2)
        confirmed = _later(first, "confirmed", 2)
        cancelled = _later(second, "cancelled", 3)
        batch = [confirmed, first, second, cancelled, first, _later(second, "confirmed", 2)]

        for service in ("payment", "admin"):
            await api.runtime.consumers[service].deliver_many(batch)

        for service, table in (("payment", BookingReplica.__table__), ("admin", BookingRow.__table__)):
            async with api.runtime.uow(service).read() as session:
                rows = (await session.execute(select(table.c.id, table.c.status))).all()
            found = {row[0]: row[1] for row in rows}
            assert found == {
                uuid.UUID(first.data["id"]): "confirmed",
                uuid.UUID(second.data["id"]): "cancelled",
            }, service
