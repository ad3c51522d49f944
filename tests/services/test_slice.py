"""The vertical slice: catalog -> booking -> notification, through HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from pathlib import Path

import pytest

from tests.conftest import Api, eventually

pytestmark = pytest.mark.skip(reason="booking adapts to the new catalog contract on branch issue4")


class TestBookingSlice:
    async def test_a_booking_of_a_new_offering_emails_the_customer(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", name="Jazz night", capacity=20)

        response = await api.book(offering["id"], quantity=2)

        assert response.status_code == 201, response.text
        booking = response.json()
        assert booking["status"] == "pending"
        assert booking["total"] == {"amount": 5000, "currency": "EUR"}
        outbox: Path = api.runtime.settings.outbox_dir
        files = await eventually(lambda: list(outbox.glob("*.eml")))
        mail = message_from_bytes(files[0].read_bytes())
        assert mail["To"] == "ann@example.com"
        assert "Jazz night" in mail["Subject"]
        assert booking["id"] in mail.get_payload()

    async def test_the_offering_is_bookable_only_once_booking_heard_of_it(self, make_api) -> None:  # type: ignore[no-untyped-def]
        api: Api = await make_api(["user", "catalog", "booking"])
        await api.tenant("acme")
        offering = await api.offering("acme")
        assert (await api.book(offering["id"])).status_code == 201

    async def test_the_last_seat_goes_to_one_customer_only(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", capacity=1)
        first, second = await asyncio.gather(api.book(offering["id"]), api.book(offering["id"]))
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
