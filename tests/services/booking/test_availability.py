"""Availability through HTTP: slots in UTC plus the zone, resources, holds, read-model updates."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from reservo.services.booking.lifecycle import expire_holds
from tests.conftest import Api
from tests.services.booking.factories import (
    NOW,
    create_offering,
    event,
    product,
    replay_offering_state,
    resources,
    service,
    update_offering,
    weekly,
)


async def _availability(
    api: Api, offering: dict[str, Any], frm: str, to: str, **params: str
) -> dict[str, Any]:
    response = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{offering['id']}/availability",
        params={"from": frm, "to": to, **params},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def _local_hours(slots: list[dict[str, Any]], zone: str = "Europe/Berlin") -> list[str]:
    from zoneinfo import ZoneInfo

    return [datetime.fromisoformat(s["start"]).astimezone(ZoneInfo(zone)).strftime("%H:%M") for s in slots]


class TestServiceAvailability:
    async def test_slots_follow_the_weekly_schedule_in_the_offerings_zone(self, api: Api) -> None:
        offering = await create_offering(api, service(schedule=weekly(time(9), time(12), days=("tue",))))
        body = await _availability(api, offering, "2026-06-01", "2026-06-07")
        assert body["timezone"] == "Europe/Berlin"
        # Dates are the offering's local dates; `to` includes its whole day.
        assert (body["from"], body["to"]) == ("2026-05-31T22:00:00Z", "2026-06-07T22:00:00Z")
        assert [s["start"] for s in body["slots"]] == [
            "2026-06-02T07:00:00Z",
            "2026-06-02T08:00:00Z",
            "2026-06-02T09:00:00Z",
        ]
        assert {s["remaining"] for s in body["slots"]} == {1}

    async def test_date_exceptions_close_a_day_or_replace_its_hours(self, api: Api) -> None:
        schedule = weekly(time(9), time(12)) | {
            "exceptions": [
                {"date": "2026-06-02", "closed": True},
                {"date": "2026-06-03", "intervals": [{"start": "14:00", "end": "16:00"}]},
            ]
        }
        offering = await create_offering(api, service(schedule=schedule))
        body = await _availability(api, offering, "2026-06-02", "2026-06-03")
        assert _local_hours(body["slots"]) == ["14:00", "15:00"]

    async def test_a_slot_stays_open_while_some_resource_is_free(self, api: Api) -> None:
        offering = await create_offering(
            api, service(resources=resources("Kim", "Lou"), schedule=weekly(time(9), time(10)))
        )
        slot = "2026-06-02T07:00:00Z"
        remaining = [
            (await _availability(api, offering, "2026-06-02", "2026-06-02"))["slots"][0]["remaining"]
        ]
        for _ in range(2):
            assert (await api.book(offering["id"], start=slot)).status_code == 201
            remaining.append(
                (await _availability(api, offering, "2026-06-02", "2026-06-02"))["slots"][0]["remaining"]
            )
        assert remaining == [2, 1, 0]
        assert (await api.book(offering["id"], start=slot)).json()["code"] == "sold_out"

    async def test_a_resources_own_schedule_narrows_the_offerings(self, api: Api) -> None:
        mornings = weekly(time(9), time(11))
        offering = await create_offering(api, service(resources=resources("Kim", Kim=mornings)))
        body = await _availability(api, offering, "2026-06-02", "2026-06-02")
        assert _local_hours(body["slots"]) == ["09:00", "10:00"]

    async def test_an_expired_hold_shows_the_slot_free_again(self, api: Api) -> None:
        from datetime import timedelta

        offering = await create_offering(api, service(schedule=weekly(time(9), time(10))))
        await api.book(offering["id"], start="2026-06-02T07:00:00Z")
        assert (await _availability(api, offering, "2026-06-02", "2026-06-02"))["slots"][0]["remaining"] == 0
        api.runtime.clock.advance(timedelta(minutes=16))  # type: ignore[attr-defined]
        await expire_holds(api.runtime.contexts["booking"])
        assert (await _availability(api, offering, "2026-06-02", "2026-06-02"))["slots"][0]["remaining"] == 1

    async def test_dst_days_through_the_api(self, api: Api) -> None:
        api.runtime.clock.advance(datetime(2026, 3, 1, tzinfo=UTC) - NOW)  # type: ignore[attr-defined]
        offering = await create_offering(api, service(schedule=weekly(time(0), time(6))))
        spring = await _availability(api, offering, "2026-03-29", "2026-03-29")
        assert _local_hours(spring["slots"]) == ["00:00", "01:00", "03:00", "04:00", "05:00"]
        autumn = await _availability(api, offering, "2026-10-25", "2026-10-25")
        assert _local_hours(autumn["slots"]) == [
            "00:00",
            "01:00",
            "02:00",
            "02:00",
            "03:00",
            "04:00",
            "05:00",
        ]
        assert len({s["start"] for s in autumn["slots"]}) == 7


class TestOtherKinds:
    async def test_an_event_lists_its_sessions_with_seats_left_and_the_variant_price(self, api: Api) -> None:
        vip = {"name": "VIP", "price": {"amount": 9000, "currency": "EUR"}}
        offering = await create_offering(api, event(capacity=3, variants=[vip]))
        start = offering["sessions"][0]["start"]
        await api.book(offering["id"], quantity=3, start=start)
        body = await _availability(
            api, offering, "2026-06-01", "2026-06-30", variant=offering["variants"][0]["id"]
        )
        assert [(s["start"], s["remaining"]) for s in body["slots"]] == [(start.replace("+00:00", "Z"), 0)]
        assert body["price"] == vip["price"]

    async def test_a_product_shows_its_stock(self, api: Api) -> None:
        offering = await create_offering(api, product(stock=5))
        await api.book(offering["id"], quantity=2)
        body = await _availability(api, offering, "2026-06-01", "2026-06-01")
        assert (body["slots"], body["remaining"]) == ([], 3)


class TestReadModel:
    async def test_a_newer_catalog_state_replaces_the_old_and_an_older_one_is_ignored(self, api: Api) -> None:
        offering = await create_offering(api, service(schedule=weekly(time(9), time(11))))
        v2 = await update_offering(api, offering, schedule=weekly(time(9), time(10)))
        assert len((await _availability(api, offering, "2026-06-02", "2026-06-02"))["slots"]) == 1
        tenant = (await api.client.get("/api/v1/tenants/acme")).json()["id"]
        await replay_offering_state(api, offering, tenant)  # version 1 again, e.g. redelivered late
        assert len((await _availability(api, offering, "2026-06-02", "2026-06-02"))["slots"]) == 1
        await update_offering(api, v2, status="archived")
        response = await api.book(offering["id"], start="2026-06-02T07:00:00Z")
        assert response.json()["code"] == "offering_not_bookable"

    async def test_a_capacity_change_applies_to_sessions_already_booked(self, api: Api) -> None:
        offering = await create_offering(api, event(capacity=2))
        start = offering["sessions"][0]["start"]
        assert (await api.book(offering["id"], quantity=2, start=start)).status_code == 201
        sessions = [{**offering["sessions"][0], "capacity": 3}]
        await update_offering(api, offering, sessions=sessions)
        assert (await api.book(offering["id"], start=start)).status_code == 201
        assert (await api.book(offering["id"], start=start)).json()["code"] == "sold_out"
