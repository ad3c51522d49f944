"""Delivery when things go wrong: the mail server is down (retries, dead letter, replay: one email),
a worker restarts while a reminder falls due (sent once), SMS through Twilio's REST API (local fake)."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from sqlalchemy import delete, func, select

from reservo.contracts.events.booking import BookingCancelled, BookingConfirmed, CustomerPayload
from reservo.contracts.events.catalog import MoneyPayload
from reservo.platform.clock import ManualClock
from reservo.services.notification.models import Delivery, Email, Reminder, Sms, StaffMember
from tests.conftest import Api, eventually
from tests.services.notification.conftest import SmtpServer
from tests.services.receipt.conftest import TENANT
from tests.services.receipt.factories import publish

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])  # about delivery, not the database
CUSTOMER = {"name": "Ann Example", "email": "ann@example.com"}


async def count(api: Api, model: Any, *where: Any) -> int:
    async with api.runtime.uow("notification").read() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


class TestMailServerDown:
    async def test_it_is_retried_dead_lettered_and_replayed_once_back_into_exactly_one_email(
        self, make_api: Callable[..., Any], smtp: SmtpServer
    ) -> None:
        smtp.stop()  # the mail server is down from the start
        api: Api = await make_api(  # the system clock: retries fall due as time really passes
            ["user", "catalog", "booking", "notification"],
            service_settings={
                "notification": {
                    **smtp.settings,
                    "email_retry_seconds": 0.05,
                    "email_max_attempts": 3,
                    "smtp_timeout_seconds": 1,
                }
            },
        )
        await api.tenant("acme", **TENANT)
        async with api.runtime.uow("notification").transaction() as tx:  # one email in play: the
            await tx.session.execute(delete(StaffMember))  # customer's, no new-booking note to staff
        offering = await api.offering()
        await api.book(offering["id"], start=offering["sessions"][0]["start"], customer=CUSTOMER)

        # Three attempts by the send job (logged with their reason), then the dead-letter path:
        # the consumer tries once more per attempt of its own and parks the event in dead letters.
        dl = api.runtime.uow("notification").tables.dead_letters

        async def dead_letter() -> Any:
            await api.settle()
            async with api.runtime.uow("notification").read() as session:
                return (
                    await session.execute(select(dl).where(dl.c.type == "notification.email.undeliverable"))
                ).one_or_none()

        row = await eventually(dead_letter, timeout=20)
        assert await count(api, Delivery, Delivery.outcome == "failed") == 2
        assert await count(api, Delivery, Delivery.outcome == "gave_up") == 1
        assert await count(api, Email, Email.status == "failed") == 1
        async with api.runtime.uow("notification").read() as session:
            email = (await session.scalars(select(Email))).one()
        assert "Connect" in (email.last_error or "") or "refused" in (email.last_error or "").lower()

        smtp.start()  # back
        assert await api.runtime.consumers["notification"].replay(row.id) == "applied"
        assert await api.runtime.consumers["notification"].replay(row.id) == "already_replayed"

        assert len(smtp.inbox.messages) == 1
        assert smtp.inbox.messages[0]["Message-ID"] == f"<{email.id}@reservo>"
        assert await count(api, Email, Email.status == "sent") == 1
        api.runtime.contexts["notification"].wake("send_emails")
        await api.settle()
        assert len(smtp.inbox.messages) == 1  # the send job does not send it again


def confirmed(
    tenant_id: str, start: Any, phone: str | None = None, consent: bool = False
) -> BookingConfirmed:
    price = MoneyPayload(amount=2500, currency="EUR")
    booking_id = uuid.uuid4()
    return BookingConfirmed(
        id=booking_id,
        tenant_id=tenant_id,
        offering_id=uuid.uuid4(),
        offering_name="Haircut",
        offering_kind="service",
        start=start,
        end=start + timedelta(hours=1),
        quantity=1,
        unit_price=price,
        total=price,
        tax_rate_bp=1900,
        currency="EUR",
        status="confirmed",
        customer=CustomerPayload(**CUSTOMER, phone=phone),
        sms_consent=consent,
        expires_at=start,
        created_at=start - timedelta(days=3),
        booking_version=2,
        confirmed_at=start - timedelta(days=3),
    )


class TestReminders:
    async def test_a_reminder_due_while_the_worker_is_down_is_sent_once_after_restarts(
        self, make_api: Callable[..., Any], clock: ManualClock, smtp: SmtpServer
    ) -> None:
        services = ["user", "payment", "notification"]
        first: Api = await make_api(services, clock=clock, service_settings={"notification": smtp.settings})
        tenant = await first.tenant("acme", **TENANT)
        start = clock.now() + timedelta(hours=25)  # due in one hour
        await publish(first, confirmed(tenant["id"], start))
        assert await count(first, Reminder, Reminder.status == "scheduled") == 1
        await first.runtime.stop()  # the worker goes down ...

        clock.advance(timedelta(hours=2))  # ... while the reminder falls due

        second: Api = await make_api(services, clock=clock, service_settings={"notification": smtp.settings})
        await eventually(lambda: len(smtp.inbox.messages) == 1, timeout=20)
        message = smtp.inbox.messages[0]
        assert message["Subject"] == "Erinnerung: Haircut am 02.06.2026 09:00"  # 07:00 UTC in Berlin
        assert message["List-Unsubscribe"].startswith(
            "<http://localhost:8000/api/v1/notifications/unsubscribe?"
        )
        await second.runtime.stop()

        third: Api = await make_api(services, clock=clock, service_settings={"notification": smtp.settings})
        third.runtime.contexts["notification"].wake("due_reminders")
        third.runtime.contexts["notification"].wake("send_emails")
        await third.settle()
        assert await count(third, Email, Email.template == "reminder") == 1
        assert len(smtp.inbox.messages) == 1

    async def test_an_unsubscribed_customer_gets_no_reminder(
        self, make_api: Callable[..., Any], clock: ManualClock, smtp: SmtpServer
    ) -> None:
        api: Api = await make_api(
            ["user", "payment", "notification"], clock=clock, service_settings={"notification": smtp.settings}
        )
        tenant = await api.tenant("acme", **TENANT)
        await publish(api, confirmed(tenant["id"], clock.now() + timedelta(hours=25)))
        clock.advance(timedelta(hours=2))
        api.runtime.contexts["notification"].wake("due_reminders")
        await eventually(lambda: len(smtp.inbox.messages) == 1, timeout=20)
        link = smtp.inbox.messages[0]["List-Unsubscribe"].strip("<>").replace("http://localhost:8000", "")

        page = await api.client.get(link)
        assert page.status_code == 200 and "Unsubscribe" in page.text
        assert (await api.client.post(link)).status_code == 200
        forged = link.replace("token=", "token=x")
        assert (await api.client.post(forged)).json()["code"] == "bad_unsubscribe_link"

        await publish(api, confirmed(tenant["id"], clock.now() + timedelta(hours=25)))
        clock.advance(timedelta(hours=2))
        api.runtime.contexts["notification"].wake("due_reminders")
        await eventually(lambda: _none_scheduled(api), timeout=10)  # the second reminder was handled ...
        api.runtime.contexts["notification"].wake("send_emails")
        await api.settle()
        assert await count(api, Email, Email.template == "reminder") == 1  # ... and skipped
        assert len(smtp.inbox.messages) == 1

    async def test_a_cancelled_booking_gets_no_reminder(
        self, make_api: Callable[..., Any], clock: ManualClock, smtp: SmtpServer
    ) -> None:
        api: Api = await make_api(
            ["user", "payment", "notification"], clock=clock, service_settings={"notification": smtp.settings}
        )
        tenant = await api.tenant("acme", **TENANT)
        booking = confirmed(tenant["id"], clock.now() + timedelta(hours=25))
        await publish(api, booking)
        cancelled = BookingCancelled(
            **booking.model_dump(exclude={"confirmed_at", "status", "booking_version"}),
            status="cancelled",
            booking_version=3,
            cancelled_at=clock.now(),
            cancelled_by="customer",
        )
        await publish(api, cancelled)
        await eventually(lambda: len(smtp.inbox.messages) == 1, timeout=20)  # the cancellation email
        assert smtp.inbox.messages[0]["Subject"] == "Ihre Buchung von Haircut wurde storniert"

        clock.advance(timedelta(hours=2))
        api.runtime.contexts["notification"].wake("due_reminders")
        api.runtime.contexts["notification"].wake("send_emails")
        await api.settle()
        assert await count(api, Reminder, Reminder.status == "cancelled") == 1
        assert await count(api, Email, Email.template == "reminder") == 0


async def _none_scheduled(api: Api) -> bool:
    return await count(api, Reminder, Reminder.status == "scheduled") == 0


class FakeTwilio(BaseHTTPRequestHandler):
    """POST /2010-04-01/Accounts/{sid}/Messages.json, Basic auth, form fields To/From/Body -> 201 JSON."""

    received: list[dict[str, Any]] = []
    account = "AC" + "0" * 32
    token = "test-auth-token"

    def do_POST(self) -> None:
        expected = "Basic " + base64.b64encode(f"{self.account}:{self.token}".encode()).decode()
        length = int(self.headers["Content-Length"])
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if (
            self.path != f"/2010-04-01/Accounts/{self.account}/Messages.json"
            or self.headers["Authorization"] != expected
        ):
            self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        elif not form.get("To", "").startswith("+"):
            self._answer(
                400, {"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}
            )
        else:
            self.received.append(form)
            sid = "SM" + uuid.uuid4().hex
            self._answer(
                201,
                {
                    "sid": sid,
                    "status": "queued",
                    "to": form["To"],
                    "from": form["From"],
                    "body": form["Body"],
                },
            )

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def twilio() -> Iterator[str]:
    FakeTwilio.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class TestSms:
    async def test_a_consenting_customer_with_a_phone_gets_the_reminder_by_sms_too(
        self, make_api: Callable[..., Any], clock: ManualClock, smtp: SmtpServer, twilio: str
    ) -> None:
        settings = {
            **smtp.settings,
            "twilio_account_sid": FakeTwilio.account,
            "twilio_auth_token": FakeTwilio.token,
            "twilio_from": "+15005550006",
            "twilio_api_url": twilio,
        }
        api: Api = await make_api(
            ["user", "payment", "notification"], clock=clock, service_settings={"notification": settings}
        )
        tenant = await api.tenant("acme", **TENANT)
        start = clock.now() + timedelta(hours=25)
        await publish(api, confirmed(tenant["id"], start, phone="+4915112345678", consent=True))
        await publish(api, confirmed(tenant["id"], start, phone="+4915199999999", consent=False))
        clock.advance(timedelta(hours=2))
        api.runtime.contexts["notification"].wake("due_reminders")

        await eventually(lambda: len(FakeTwilio.received) == 1, timeout=20)
        (sms,) = FakeTwilio.received
        assert sms["To"] == "+4915112345678" and sms["From"] == "+15005550006"
        assert sms["Body"].startswith("東京 Łódź Studio: Erinnerung: Haircut")
        await eventually(lambda: count(api, Sms, Sms.status == "sent"), timeout=10)
        await eventually(lambda: len(smtp.inbox.messages) == 2, timeout=20)  # both still get the email
