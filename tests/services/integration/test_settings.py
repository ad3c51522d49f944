"""TikTok settings (staff only, token encrypted at rest) and the paginated delivery log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from reservo.platform.clock import ManualClock
from reservo.services.integration.models import TikTokAccount
from tests.conftest import Api
from tests.fakes.tiktok_fake import ACCESS_TOKEN
from tests.services.analytics.steps import MARKETING, collect
from tests.services.booking.factories import create_offering, event
from tests.services.integration.steps import SETTINGS, configure, deliveries


@pytest.fixture
def backend() -> str:
    """Plain reads and writes: SQLite is enough (forwarding runs on both in test_tiktok.py)."""
    return "sqlite"


class TestSettings:
    async def test_token_is_write_only_and_encrypted_at_rest(self, api: Api) -> None:
        missing = await api.client.put(SETTINGS, json={"pixel_code": "CPIX1"}, headers=api.owner("acme"))
        assert (missing.status_code, missing.json()["code"]) == (422, "access_token_required")
        saved = await configure(api, test_event_code="TEST123")
        assert saved["access_token_hint"] == ACCESS_TOKEN[-4:]
        assert ACCESS_TOKEN not in str(saved)
        assert saved["breaker"] == {"state": "closed", "failures": 0, "open_until": None}
        kept = await configure(api, access_token=None, enabled=False)  # the stored token stays
        assert (kept["enabled"], kept["access_token_hint"]) == (False, ACCESS_TOKEN[-4:])
        async with api.runtime.contexts["integration"].uow.read() as session:
            account = (await session.scalars(select(TikTokAccount))).one()
        assert ACCESS_TOKEN not in account.sealed_token

    async def test_settings_are_for_the_tenants_staff_only(self, api: Api) -> None:
        await configure(api)
        assert (await api.client.get(SETTINGS)).status_code == 401
        customer = api.dev_token("ann@example.com")
        assert (await api.client.get(SETTINGS, headers=customer)).status_code == 403
        staff = api.dev_token("sam@acme.example", "staff@acme")
        assert (await api.client.get(SETTINGS, headers=staff)).status_code == 200
        body = {"pixel_code": "CPIX2", "access_token": "another-token-1234"}
        assert (await api.client.put(SETTINGS, json=body, headers=staff)).status_code == 403
        assert (await api.client.get(f"{SETTINGS}/deliveries", headers=customer)).status_code == 403
        assert (await api.client.delete(SETTINGS, headers=api.owner("acme"))).status_code == 204
        gone = await api.client.get(SETTINGS, headers=staff)
        assert (gone.status_code, gone.json()["code"]) == (404, "tiktok_not_configured")


class TestDeliveryLog:
    async def test_the_log_is_paginated_newest_first(self, api: Api, clock: ManualClock) -> None:
        await configure(api)
        jazz = await create_offering(api, event())
        ids = []
        for _ in range(3):
            ids.append(
                (await collect(api, "view_content", offering_id=jazz["id"], consent=MARKETING)).json()[
                    "event_id"
                ]
            )
            clock.advance(timedelta(seconds=1))
        await api.settle()
        first = await deliveries(api, limit=2)
        assert [i["event_id"] for i in first["items"]] == ids[::-1][:2]
        second = await deliveries(api, limit=2, cursor=first["next_cursor"])
        assert [i["event_id"] for i in second["items"]] == ids[:1] and second["next_cursor"] is None
        bad = await api.client.get(
            f"{SETTINGS}/deliveries", params={"cursor": "nope"}, headers=api.owner("acme")
        )
        assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
