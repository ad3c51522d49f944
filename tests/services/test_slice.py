"""The vertical slice: catalog -> booking -> notification, through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

from reservo.platform.auth.links import link_token
from tests.conftest import Api, eventually
from tests.services.booking.factories import create_offering, event, product


class TestBookingSlice:
    async def test_a_booking_of_a_new_offering_emails_the_customer(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await create_offering(
            api, product(name="Jazz night", stock=20, price={"amount": 2500, "currency": "EUR"})
        )

        response = await api.book(offering["id"], quantity=2)

        assert response.status_code == 201, response.text
        booking = response.json()
        assert booking["status"] == "pending"
        assert booking["total"] == {"amount": 5000, "currency": "EUR"}
        outbox: Path = api.runtime.settings.outbox_dir
        files = await eventually(  # the customer's (the owner also gets a new-booking note)
            lambda: [p for p in outbox.glob("*.eml") if "To: ann@example.com" in p.read_text()]
        )
        mail = message_from_bytes(files[0].read_bytes(), policy=policy.default)
        assert mail["To"] == "ann@example.com"
        assert "Jazz night" in mail["Subject"]
        text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        assert booking["id"] in text
        secret = api.runtime.settings.secret_key.get_secret_value()
        token = link_token(secret, "booking.guest", booking["id"])
        assert f"/bookings/{booking['id']}#token={token}" in text  # a guest's way back to the booking

    async def test_the_offering_is_bookable_only_once_booking_heard_of_it(self, make_api) -> None:
        api: Api = await make_api(["user", "catalog", "booking"])
        await api.tenant("acme")
        offering = await create_offering(api, product())
        assert (await api.book(offering["id"])).status_code == 201

    async def test_the_last_seat_goes_to_one_customer_only(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await create_offering(api, event(capacity=1, starts=[_next_week()]))
        start = offering["sessions"][0]["start"]
        first, second = await asyncio.gather(
            api.book(offering["id"], start=start), api.book(offering["id"], start=start)
        )
        assert sorted([first.status_code, second.status_code]) == [201, 409]
        loser = first if first.status_code == 409 else second
        assert loser.json()["code"] == "sold_out"
        assert loser.headers["content-type"] == "application/problem+json"

    async def test_readyz_reports_every_database(self, api: Api) -> None:
        response = await api.client.get("/readyz")
        assert response.status_code == 200
        assert response.json()["checks"] == {
            "db:user": "ok",
            "db:catalog": "ok",
            "db:booking": "ok",
            "db:notification": "ok",
            "bus": "ok",
        }


def _next_week() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
