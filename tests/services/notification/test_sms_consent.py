"""The customer's SMS consent ticked at checkout travels with the booking: stored, shown, carried by its
events, and the reminder then goes by SMS too; without a phone or without the tick, no SMS (issue 12)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.conftest import Api, eventually
from tests.services.notification.conftest import SmtpServer
from tests.services.notification.test_delivery import FakeTwilio, twilio
from tests.services.receipt.conftest import TENANT

__all__ = ["twilio"]  # the fake Twilio fixture, shared with test_delivery.py


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_consent_given_at_booking_sends_the_reminder_by_sms(
    make_api: Callable[..., Any], clock: ManualClock, smtp: SmtpServer, twilio: str
) -> None:
    settings = {
        **smtp.settings,
        "twilio_account_sid": FakeTwilio.account,
        "twilio_auth_token": FakeTwilio.token,
        "twilio_from": "+15005550006",
        "twilio_api_url": twilio,
    }
    api: Api = await make_api(
        ["user", "catalog", "booking", "notification"],
        clock=clock,
        service_settings={"notification": settings},
    )
    await api.tenant("acme", **TENANT)
    offering = await api.offering(name="Jazz night")
    start = offering["sessions"][0]["start"]
    customers = [
        ({"name": "Zoe", "email": "zoe@example.com", "phone": "+4915112345678"}, True),
        ({"name": "Bo", "email": "bo@example.com", "phone": "+4915199999999"}, False),
        ({"name": "Al", "email": "al@example.com"}, True),  # consent without a phone means nothing
    ]
    for customer, consent in customers:
        booked = await api.client.post(
            "/api/v1/tenants/acme/bookings",
            json={
                "offering_id": offering["id"],
                "start": start,
                "customer": customer,
                "sms_consent": consent,
            },
        )
        assert booked.status_code == 201, booked.text
        assert booked.json()["sms_consent"] is (consent and "phone" in customer)
        confirmed = await api.client.post(
            f"/api/v1/tenants/acme/bookings/{booked.json()['id']}/confirm", headers=api.owner("acme")
        )
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["sms_consent"] is (consent and "phone" in customer)
    await api.settle()

    clock.advance(datetime.fromisoformat(start) - timedelta(hours=23) - clock.now())  # reminders due
    api.runtime.contexts["notification"].wake("due_reminders")
    await eventually(lambda: len(FakeTwilio.received) >= 1, timeout=20)
    await eventually(
        lambda: sum("Erinnerung" in str(m["Subject"]) for m in smtp.inbox.messages) == 3, timeout=20
    )
    assert [sms["To"] for sms in FakeTwilio.received] == ["+4915112345678"]
