"""TikTok Events API forwarding against the local fake: settings, payloads, consent, the outage."""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from reservo.contracts.events.user import UserErased
from reservo.platform.clock import ManualClock
from reservo.services.integration.models import Attribution, BookingContact, Delivery
from tests.conftest import Api, eventually
from tests.fakes.tiktok_fake import FakeTikTok
from tests.services.analytics.steps import MARKETING, collect
from tests.services.booking.factories import create_offering, event
from tests.services.integration.steps import SETTINGS, all_delivered, configure, deliveries, run_deliveries
from tests.services.payment.flows import confirm, pay


def sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


ANN = {"name": "Ann", "email": "  Ann@Example.com ", "phone": "+49 151 2345678"}


async def paid_booking(api: Api, offering: dict[str, Any]) -> dict[str, Any]:
    response = await api.book(offering["id"], start=offering["sessions"][0]["start"], customer=ANN)
    assert response.status_code == 201, response.text
    booking = dict(response.json())
    payment = (await pay(api, booking)).json()
    assert (await confirm(api, payment, booking, "4242424242424242")).json()["status"] == "succeeded"
    return booking


class TestForwarding:
    async def test_a_consenting_visitors_journey_reaches_tiktok_once_each(
        self, live_api: Api, clock: ManualClock, tiktok: FakeTikTok
    ) -> None:
        """With the delivery job running in the background, as in `make run`."""
        api = live_api
        await configure(api)
        jazz = await create_offering(api, event())
        browser = {"User-Agent": "Mozilla/5.0 (TikTok test)"}
        viewed = await collect(
            api, "view_content", offering_id=jazz["id"], ttclid="E.C.P.clk123", consent=MARKETING,
            url="https://shop.example/t/acme/o/jazz", headers=browser,
        )  # fmt: skip
        view_id = viewed.json()["event_id"]
        response = await api.book(jazz["id"], start=jazz["sessions"][0]["start"], customer=ANN)
        booking = response.json()
        pixel_id = "pixel-checkout-0001"  # the browser pixel's own id, given to collect
        checkout = await collect(
            api, "initiate_checkout", booking_id=booking["id"], ttclid="E.C.P.clk123", consent=MARKETING,
            event_id=pixel_id, headers=browser,
        )  # fmt: skip
        assert checkout.json() == {"event_id": pixel_id, "counted": True}
        payment = (await pay(api, booking)).json()
        assert (await confirm(api, payment, booking, "4242424242424242")).json()["status"] == "succeeded"
        await api.settle()
        await eventually(lambda: len(tiktok.accepted) >= 2)  # the browser's two, at once
        clock.advance(timedelta(minutes=1))  # the conversions waited for attribution
        api.runtime.contexts["integration"].wake("deliver")

        async def all_four_delivered() -> bool:
            items = (await deliveries(api))["items"]
            return [i["status"] for i in items] == ["delivered"] * 4

        await eventually(all_four_delivered)  # the log says so once TikTok answered

        by_event = {e["event"]: e for e in tiktok.accepted}
        assert sorted(tiktok.accepted_ids()) == sorted(
            [view_id, pixel_id, f"{booking['id']}-placed", f"{booking['id']}-paid"]
        )
        assert by_event["ViewContent"]["user"] == {
            "ttclid": "E.C.P.clk123",
            "ip": "127.0.0.1",
            "user_agent": "Mozilla/5.0 (TikTok test)",
        }
        assert by_event["ViewContent"]["properties"]["contents"] == [{"content_id": jazz["id"]}]
        assert by_event["ViewContent"]["page"] == {"url": "https://shop.example/t/acme/o/jazz"}
        paid = by_event["CompletePayment"]
        assert paid["user"]["email"] == sha("ann@example.com")
        assert paid["user"]["phone"] == sha("+491512345678")
        assert paid["user"]["ttclid"] == "E.C.P.clk123"
        assert (paid["properties"]["currency"], paid["properties"]["value"]) == ("EUR", 25.0)
        assert paid["properties"]["contents"][0]["content_id"] == jazz["id"]
        assert isinstance(paid["event_time"], int)
        body = tiktok.requests[0]
        assert (body["event_source"], body["event_source_id"]) == ("web", "CPIXELACME01")

    async def test_without_marketing_consent_no_user_data_leaves(
        self, api: Api, clock: ManualClock, tiktok: FakeTikTok
    ) -> None:
        await configure(api)
        jazz = await create_offering(api, event())
        only_counted = await collect(api, "view_content", offering_id=jazz["id"], ttclid="clk-no")
        assert only_counted.json()["counted"] is True
        booking = await paid_booking(api, jazz)
        await all_delivered(api, clock, 2)
        assert sorted(e["event"] for e in tiktok.accepted) == ["CompletePayment", "PlaceAnOrder"]
        assert all(e["user"] == {} for e in tiktok.accepted)
        assert tiktok.accepted[0]["properties"]["order_id"] == booking["id"]


class TestNothingToForward:
    @pytest.fixture
    def backend(self) -> str:
        return "sqlite"

    async def test_a_tenant_without_tiktok_settings_forwards_nothing(
        self, api: Api, tiktok: FakeTikTok
    ) -> None:
        jazz = await create_offering(api, event())
        await collect(api, "view_content", offering_id=jazz["id"], consent=MARKETING)
        await paid_booking(api, jazz)
        await api.settle()
        await run_deliveries(api)
        assert tiktok.requests == []
        assert (await deliveries(api))["items"] == []


class TestOutage:
    async def test_retried_through_an_outage_then_delivered_once(
        self, api: Api, clock: ManualClock, tiktok: FakeTikTok
    ) -> None:
        await configure(api)
        jazz = await create_offering(api, event())
        # TikTok is down: a plain 500 page, then HTTP 200 with error codes (rate limit, server).
        tiktok.outage = [("http", 500), ("code", 40100), ("code", 50002)]
        viewed = await collect(api, "view_content", offering_id=jazz["id"], consent=MARKETING)
        event_id = viewed.json()["event_id"]
        await api.settle()
        await run_deliveries(api)
        await run_deliveries(api)  # nothing is due again before its backoff
        first = (await deliveries(api))["items"][0]
        assert (first["status"], first["attempts"]) == ("pending", 1)
        assert len(tiktok.requests) == 1

        for _ in range(2):
            clock.advance(timedelta(minutes=1))
            await run_deliveries(api)
        failing = (await deliveries(api))["items"][0]
        assert (failing["status"], failing["attempts"]) == ("pending", 3)
        assert [(e.get("http_status"), e.get("code")) for e in failing["log"]] == [
            (500, None),
            (200, 40100),
            (200, 50002),
        ]
        # Three failures in a row opened the tenant's breaker: no call until the cooldown is over.
        breaker = (await api.client.get(SETTINGS, headers=api.owner("acme"))).json()["breaker"]
        assert (breaker["state"], breaker["failures"]) == ("open", 3)
        clock.advance(timedelta(minutes=1))
        await run_deliveries(api)
        assert len(tiktok.requests) == 3

        clock.advance(timedelta(minutes=2))  # cooldown over: one trial call, TikTok is back
        assert await run_deliveries(api) == 1
        for _ in range(3):
            clock.advance(timedelta(hours=1))
            await run_deliveries(api)
        done = (await deliveries(api))["items"][0]
        assert (done["status"], done["attempts"], done["last_error"]) == ("delivered", 4, None)
        assert tiktok.accepted_ids() == [event_id]  # delivered once, never twice
        assert len(tiktok.requests) == 4
        breaker = (await api.client.get(SETTINGS, headers=api.owner("acme"))).json()["breaker"]
        assert breaker == {"state": "closed", "failures": 0, "open_until": None}


class TestPermanentErrors:
    @pytest.fixture
    def backend(self) -> str:
        return "sqlite"

    async def test_an_error_that_will_not_heal_is_given_up_at_once(
        self, api: Api, clock: ManualClock, tiktok: FakeTikTok
    ) -> None:
        await configure(api, access_token="a-revoked-token-999")
        jazz = await create_offering(api, event())
        await collect(api, "view_content", offering_id=jazz["id"], consent=MARKETING)
        await api.settle()
        await run_deliveries(api)
        clock.advance(timedelta(hours=1))
        await run_deliveries(api)
        item = (await deliveries(api))["items"][0]
        assert (item["status"], item["attempts"]) == ("failed", 1)
        assert item["last_error"].startswith("code 40105")
        assert (await deliveries(api, status="failed"))["items"][0]["id"] == item["id"]
        assert (await deliveries(api, status="delivered"))["items"] == []


class TestErasure:
    async def test_user_erased_forgets_their_hashes_and_click_ids(
        self, api: Api, clock: ManualClock, tiktok: FakeTikTok
    ) -> None:
        await configure(api)
        jazz = await create_offering(api, event())
        pair = await api.register("ann@example.com")
        me = {**api.bearer(pair), "User-Agent": "Mozilla/5.0 (Ann)"}
        await collect(
            api, "view_content", offering_id=jazz["id"], consent=MARKETING, ttclid="clk-ann", headers=me
        )
        booking = (await api.book(jazz["id"], start=jazz["sessions"][0]["start"], customer=ANN)).json()
        await collect(api, "initiate_checkout", booking_id=booking["id"], consent=MARKETING, ttclid="clk-ann")
        await api.settle()
        async with api.runtime.contexts["user"].uow.transaction() as tx:
            erased = UserErased(user_id=uuid.UUID(pair["user"]["id"]), email="ann@example.com")
            tx.publish(erased, tenant_id=None)
        await api.settle()
        async with api.runtime.contexts["integration"].uow.read() as session:
            assert (await session.scalars(select(BookingContact))).all() == []
            assert (await session.scalars(select(Attribution))).all() == []
            contexts = [d.context for d in await session.scalars(select(Delivery))]
        assert "clk-ann" not in str(contexts) and "Ann" not in str(contexts)
        await all_delivered(api, clock, 3)  # what was queued still goes, without the person
        assert "clk-ann" not in str(tiktok.requests)
