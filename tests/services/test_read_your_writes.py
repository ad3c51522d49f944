"""Read-your-writes (issue 9 item 1): once a write answered 2xx, the calls that depend on it succeed
at once, even when the replicas of other services have not heard of it yet.

The app runs without workers here, so no event is ever relayed: every replica is behind for the
whole test, which is the window a fast client hit for 0.3-0.5 s. (tests/distributed has the same
check across processes.)"""

from __future__ import annotations

from typing import Any

from tests.conftest import OFFERING_EXAMPLES, Api
from tests.support.offerings import price, product

TENANT = {"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"}


async def _replicas_behind(make_api: Any) -> Api:
    api: Api = await make_api(["user", "catalog", "booking", "notification"], workers=False)
    return api


async def test_create_tenant_then_offering_then_book_at_once(make_api: Any) -> None:
    api = await _replicas_behind(make_api)
    pair = await api.register("owner@acme.example")
    created = await api.client.post("/api/v1/tenants", json=TENANT, headers=api.bearer(pair))
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    owner = api.bearer(created.json())  # the creator's fresh token already carries the owner role
    body = {"kind": "event", "name": "Jazz", "price": {"amount": 2500, "currency": "EUR"}}
    offering = await api.client.post(
        "/api/v1/tenants/acme/offerings", json={**body, **OFFERING_EXAMPLES["event"]}, headers=owner
    )
    assert offering.status_code == 201, offering.text
    o = offering.json()
    frm, to = "2026-12-31", "2027-01-01"
    available = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{o['id']}/availability?from={frm}&to={to}"
    )
    assert available.status_code == 200, available.text
    assert [s["remaining"] for s in available.json()["slots"]] == [20]
    booked = await api.book(o["id"], start=o["sessions"][0]["start"], quantity=2)
    assert booked.status_code == 201, booked.text
    again = await api.book(o["id"], start=o["sessions"][0]["start"], quantity=1)
    assert again.status_code == 201, again.text  # the filled replica counts what the first one took
    available = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{o['id']}/availability?from={frm}&to={to}"
    )
    assert [s["remaining"] for s in available.json()["slots"]] == [17]


async def test_what_does_not_exist_is_still_a_404(make_api: Any) -> None:
    api = await _replicas_behind(make_api)
    missing = await api.client.get("/api/v1/tenants/nobody/offerings")
    assert (missing.status_code, missing.json()["code"]) == (404, "tenant_not_found")
    pair = await api.register("owner@acme.example")
    created = await api.client.post("/api/v1/tenants", json=TENANT, headers=api.bearer(pair))
    unknown = "00000000-0000-4000-8000-000000000001"
    booked = await api.book(unknown, quantity=1, Authorization=f"Bearer {created.json()['access_token']}")
    assert (booked.status_code, booked.json()["code"]) == (404, "offering_not_found")


async def test_a_draft_offering_is_not_filled_into_booking(make_api: Any) -> None:
    api = await _replicas_behind(make_api)
    pair = await api.register("owner@acme.example")
    created = await api.client.post("/api/v1/tenants", json=TENANT, headers=api.bearer(pair))
    owner = api.bearer(created.json())
    body = product(5, name="Box", price=price(100), status="draft")
    draft = await api.client.post("/api/v1/tenants/acme/offerings", json=body, headers=owner)
    assert draft.status_code == 201, draft.text
    booked = await api.book(draft.json()["id"])
    assert (booked.status_code, booked.json()["code"]) == (404, "offering_not_found")
