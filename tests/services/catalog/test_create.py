"""Creating offerings of each kind: the documented payloads are accepted as they are, bad ones are 422."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import Api

EVENT = {
    "kind": "event",
    "name": "Jazz night",
    "price": {"amount": 2500, "currency": "EUR"},
    "timezone": "Europe/Berlin",
    "sessions": [{"start": "2026-12-31T20:00:00+01:00", "end": "2026-12-31T23:00:00+01:00", "capacity": 50}],
}
SERVICE = {
    "kind": "service",
    "name": "Haircut",
    "price": {"amount": 3000, "currency": "EUR"},
    "timezone": "Europe/Berlin",
    "duration_minutes": 30,
    "capacity_per_slot": 1,
    "schedule": {
        "weekly": [{"weekday": "mon", "start": "09:00", "end": "17:00"}],
        "exceptions": [{"date": "2026-12-28", "closed": True}],
    },
}
PRODUCT = {"kind": "product", "name": "Gift box", "price": {"amount": 1500, "currency": "EUR"}, "stock": 100}


async def create(api: Api, body: dict[str, Any], slug: str = "acme") -> Any:
    return await api.client.post(f"/api/v1/tenants/{slug}/offerings", json=body, headers=api.owner(slug))


async def outbox_events(api: Api) -> list[dict[str, Any]]:
    outbox = api.runtime.uow("catalog").tables.outbox
    async with api.runtime.uow("catalog").read() as session:
        rows = (await session.execute(select(outbox.c.envelope).order_by(outbox.c.position))).scalars()
        return list(rows)


class TestCreateEachKind:
    async def test_an_event_is_created_with_its_session_in_utc(self, api: Api) -> None:
        await api.tenant("acme")
        response = await create(api, EVENT)
        assert response.status_code == 201, response.text
        offering = response.json()
        assert (offering["kind"], offering["status"], offering["version"]) == ("event", "published", 1)
        (session,) = offering["sessions"]
        assert session["start"].startswith("2026-12-31T19:00:00")
        assert session["end"].startswith("2026-12-31T22:00:00")
        assert session["capacity"] == 50 and session["id"]
        fetched = await api.client.get(f"/api/v1/tenants/acme/offerings/{offering['id']}")
        assert fetched.json() == offering

    async def test_a_service_keeps_its_schedule_and_time_zone(self, api: Api) -> None:
        await api.tenant("acme")
        response = await create(api, SERVICE)
        assert response.status_code == 201, response.text
        offering = response.json()
        assert offering["timezone"] == "Europe/Berlin"
        assert offering["duration_minutes"] == 30 and offering["capacity_per_slot"] == 1
        assert offering["schedule"]["weekly"] == [{"weekday": "mon", "start": "09:00:00", "end": "17:00:00"}]
        assert offering["schedule"]["exceptions"] == [{"date": "2026-12-28", "closed": True, "intervals": []}]

    async def test_a_product_has_stock_and_the_tenants_time_zone(self, api: Api) -> None:
        await api.tenant("acme", timezone="Europe/Vienna")
        response = await create(api, PRODUCT)
        assert response.status_code == 201, response.text
        offering = response.json()
        assert (offering["stock"], offering["timezone"], offering["sessions"]) == (100, "Europe/Vienna", [])

    async def test_a_draft_is_created_when_asked(self, api: Api) -> None:
        await api.tenant("acme")
        response = await create(api, {**PRODUCT, "status": "draft"})
        assert response.json()["status"] == "draft"

    @pytest.mark.parametrize("body", [EVENT, SERVICE, PRODUCT], ids=["event", "service", "product"])
    async def test_creation_emits_the_whole_state(self, api: Api, body: dict[str, Any]) -> None:
        await api.tenant("acme")
        offering = (await create(api, body)).json()
        envelopes = [e for e in await outbox_events(api) if e["type"] == "catalog.offering.created"]
        assert len(envelopes) == 1
        state = envelopes[0]["data"]["offering"]
        assert envelopes[0]["key"] == offering["id"]
        assert (state["id"], state["version"], state["kind"]) == (offering["id"], 1, body["kind"])
        assert state["price"] == body["price"]
        if body["kind"] == "event":
            assert [s["id"] for s in state["sessions"]] == [s["id"] for s in offering["sessions"]]
        if body["kind"] == "service":
            assert state["schedule"]["exceptions"] == [
                {"date": "2026-12-28", "closed": True, "intervals": []}
            ]
        if body["kind"] == "product":
            assert state["stock"] == 100
