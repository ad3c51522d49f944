"""Staff lists with filters and cursors, a customer's bookings across tenants, and statistics."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from tests.conftest import Api
from tests.services.booking.factories import NOW, create_offering, event, product, service, weekly

STAFF = "staff@acme.example"


def _staff(api: Api) -> dict[str, str]:
    return api.dev_token(STAFF, "staff@acme")


async def _book(
    api: Api,
    offering: dict[str, Any],
    start: str | None,
    email: str = "ann@example.com",
    quantity: int = 1,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    response = await api.book(
        offering["id"],
        start=start,
        quantity=quantity,
        customer={"name": "X", "email": email},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _list(api: Api, **params: Any) -> list[dict[str, Any]]:
    """Every page, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await api.client.get("/api/v1/tenants/acme/bookings", params=query, headers=_staff(api))
        assert response.status_code == 200, response.text
        items += response.json()["items"]
        cursor = response.json()["next_cursor"]
        if not cursor:
            return items


class TestStaffList:
    async def test_filters_and_pagination_sorted_by_start(self, api: Api) -> None:
        starts = [NOW + timedelta(days=d) for d in (9, 3, 6, 12)]
        show = await create_offering(api, event(capacity=10, starts=starts))
        shirt = await create_offering(api, product())
        sessions = sorted(s["start"] for s in show["sessions"])
        made = [await _book(api, show, s, email=f"c{i}@example.com") for i, s in enumerate(sessions)]
        await _book(api, shirt, None, email="C0@Example.com")
        await api.client.post(f"/api/v1/tenants/acme/bookings/{made[1]['id']}/confirm", headers=_staff(api))

        everything = await _list(api, limit=2)
        assert [b["id"] for b in everything][1:] == [b["id"] for b in made]  # the shirt was bought at NOW
        assert [b["id"] for b in await _list(api, status="confirmed")] == [made[1]["id"]]
        assert len(await _list(api, offering_id=shirt["id"])) == 1
        assert {b["offering_id"] for b in await _list(api, email="c0@example.com")} == {
            show["id"],
            shirt["id"],
        }
        window = await _list(api, **{"from": sessions[1][:10], "to": sessions[2][:10]})
        assert [b["id"] for b in window] == [made[1]["id"], made[2]["id"]]

    async def test_customers_and_outsiders_cannot_list(self, api: Api) -> None:
        url = "/api/v1/tenants/acme/bookings"
        assert (await api.client.get(url)).status_code == 401
        assert (await api.client.get(url, headers=api.dev_token("ann@example.com"))).status_code == 403

    async def test_a_bad_cursor_is_a_400(self, api: Api) -> None:
        response = await api.client.get(
            "/api/v1/tenants/acme/bookings", params={"cursor": "bm9wZQ"}, headers=_staff(api)
        )
        assert (response.status_code, response.json()["code"]) == (400, "invalid_cursor")


class TestMyBookings:
    async def test_a_customer_sees_their_bookings_in_every_tenant_and_nobody_elses(self, api: Api) -> None:
        await api.tenant("other")
        bob = api.dev_token("bob@example.com")
        here = await create_offering(api, event(starts=[NOW + timedelta(days=3)]))
        there = await create_offering(api, event(starts=[NOW + timedelta(days=2)]), slug="other")
        first = await _book(api, here, here["sessions"][0]["start"], headers=bob)
        response = await api.book(there["id"], slug="other", start=there["sessions"][0]["start"], headers=bob)
        second = response.json()
        await _book(api, here, here["sessions"][0]["start"], email="eve@example.com")  # a guest

        mine = await api.client.get("/api/v1/me/bookings", headers=bob, params={"limit": 1})
        page2 = await api.client.get(
            "/api/v1/me/bookings", headers=bob, params={"limit": 1, "cursor": mine.json()["next_cursor"]}
        )
        assert [mine.json()["items"][0]["id"], page2.json()["items"][0]["id"]] == [second["id"], first["id"]]
        assert page2.json()["next_cursor"] is None
        eve = await api.client.get("/api/v1/me/bookings", headers=api.dev_token("eve@example.com"))
        assert eve.json()["items"] == []
        assert (await api.client.get("/api/v1/me/bookings")).status_code == 401


class TestStats:
    async def test_status_counts_revenue_occupancy_and_top_offerings(self, api: Api) -> None:
        show = await create_offering(api, event(capacity=10))
        shirt = await create_offering(api, product(stock=10))
        cut = await create_offering(api, service(schedule=weekly(time(9), time(17))))
        start = show["sessions"][0]["start"]
        paid = await _book(api, show, start, quantity=3)
        await _book(api, show, start, quantity=2)
        dropped = await _book(api, show, start)
        bought = await _book(api, shirt, None, quantity=2)
        await _book(api, cut, "2026-06-02T07:00:00Z")
        base = "/api/v1/tenants/acme/bookings"
        for b in (paid, bought):
            await api.client.post(f"{base}/{b['id']}/confirm", headers=_staff(api))
        await api.client.post(f"{base}/{bought['id']}/complete", headers=_staff(api))
        await api.client.post(f"{base}/{dropped['id']}/cancel", headers=_staff(api))

        response = await api.client.get(
            "/api/v1/tenants/acme/stats",
            params={"from": "2026-06-01", "to": "2026-06-30"},
            headers=_staff(api),
        )

        assert response.status_code == 200, response.text
        stats = response.json()
        assert stats["bookings_by_status"] == {"cancelled": 1, "completed": 1, "confirmed": 1, "pending": 2}
        assert stats["revenue"] == [{"amount": 3 * 2500 + 2 * 1500, "currency": "EUR"}]
        by_name = {o["name"]: o for o in stats["offerings"]}
        assert (by_name["Jazz night"]["booked"], by_name["Jazz night"]["capacity"]) == (5, 10)
        assert by_name["Jazz night"]["occupancy"] == 0.5
        assert (by_name["T-shirt"]["booked"], by_name["T-shirt"]["occupancy"]) == (2, 0.2)
        assert (by_name["Haircut"]["booked"], by_name["Haircut"]["capacity"]) == (1, 30 * 8)
        assert [o["name"] for o in stats["top_offerings"]] == ["Jazz night", "T-shirt", "Haircut"]

    async def test_stats_are_for_staff_and_need_a_bounded_range(self, api: Api) -> None:
        url = "/api/v1/tenants/acme/stats"
        params = {"from": "2026-01-01", "to": "2026-01-31"}
        assert (await api.client.get(url, params=params, headers=api.dev_token("a@b.co"))).status_code == 403
        bad = await api.client.get(
            url, params={"from": "2026-01-01", "to": "2028-01-01"}, headers=_staff(api)
        )
        assert (bad.status_code, bad.json()["code"]) == (422, "invalid_range")
