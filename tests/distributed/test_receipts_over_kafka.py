"""Receipts over Kafka, where payment and booking events travel on different topics and arrive in
either order: the payment booking took gets one receipt and one "confirmed" email with the PDF; a
late payment booking rejects (the seat was taken) gets the refund email and no receipt (D12-6)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from reservo.platform.clock import ManualClock
from reservo.services.booking.lifecycle import expire_holds
from tests.conftest import Api, eventually
from tests.distributed.test_kafka_bus import _bus
from tests.services.notification.conftest import ALL, SmtpServer
from tests.services.notification.test_payment_rejected import quiet, receipt_numbers, templates_to
from tests.services.payment.flows import booking_status, confirm, guest
from tests.support.offerings import NOW, event, price

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]
TENANT = {"name": "Acme", "locale": "de"}


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


async def _created(api: Api, path: str, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    """POST, answered 201 at once: read-your-writes holds over Kafka too (a replica miss asks its owner)."""
    response = await api.client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_only_the_payment_booking_took_is_receipted(
    make_api: Any, kafka_bootstrap: str, topic_prefix: str, smtp: SmtpServer
) -> None:
    clock = ManualClock(NOW)
    api: Api = await make_api(
        ALL,
        clock=clock,
        bus=_bus(kafka_bootstrap, topic_prefix),
        service_settings={"notification": smtp.settings},
    )
    await api.tenant("acme", **TENANT)
    offering = await _created(
        api, "/api/v1/tenants/acme/offerings", event(capacity=2, price=price(2500)), **api.owner("acme")
    )
    start = offering["sessions"][0]["start"]

    async def book(email: str) -> dict[str, Any]:
        body = {"offering_id": offering["id"], "quantity": 1, "start": start}
        return await _created(
            api, "/api/v1/tenants/acme/bookings", {**body, "customer": {"name": "Kim", "email": email}}
        )

    late, in_time = await book("late@example.com"), await book("on-time@example.com")
    late_payment = await _created(api, "/api/v1/payments", {"booking_id": late["id"]}, **guest(late))
    payment = await _created(api, "/api/v1/payments", {"booking_id": in_time["id"]}, **guest(in_time))
    assert (await confirm(api, payment, in_time, "4242424242424242")).json()["status"] == "succeeded"

    async def confirmed() -> bool:
        return await booking_status(api, in_time) == "confirmed"

    await eventually(confirmed, timeout=30)

    # The late one: its hold expires, the freed seat is taken, then its payment arrives.
    clock.advance(timedelta(minutes=30))
    assert await expire_holds(api.runtime.contexts["booking"]) == 1
    await api.settle()
    await book("taker@example.com")
    assert (await confirm(api, late_payment, late, "4242424242424242")).json()["status"] == "succeeded"
    await api.settle()

    async def refund_seen_by_receipt() -> bool:  # after payment.succeeded on the same key
        inbox = api.runtime.contexts["receipt"].uow.tables.inbox
        async with api.runtime.uow("receipt").read() as session:
            types = (await session.scalars(select(inbox.c.type))).all()
        return "payment.refunded" in types

    await eventually(refund_seen_by_receipt, timeout=60)
    await eventually(lambda: "wurde erstattet" in _subjects(smtp, "late@example.com"), timeout=30)
    await eventually(lambda: "ist bestätigt" in _subjects(smtp, "on-time@example.com"), timeout=30)
    await quiet(api)

    assert await receipt_numbers(api) == ["ACME-2026-000001"]  # the in-time payment's, nothing else
    rejected = await templates_to(api, "late@example.com")
    before_paying = ("booking_created", "hold_expiring", "booking_expired")
    assert [t for t in rejected if t not in before_paying] == ["payment_rejected"], rejected
    assert sorted(await templates_to(api, "on-time@example.com")) == ["booking_confirmed", "booking_created"]
    (confirmation,) = [m for m in smtp.inbox.messages if str(m["Subject"]).endswith("bestätigt")]
    (attachment,) = list(confirmation.iter_attachments())
    assert attachment.get_filename() == "ACME-2026-000001.pdf"


def _subjects(smtp: SmtpServer, to: str) -> str:
    return " | ".join(str(m["Subject"]) for m in smtp.inbox.messages if m["To"] == to)
