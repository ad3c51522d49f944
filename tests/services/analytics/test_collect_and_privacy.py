"""The collect endpoint: validation problems, the rate limit, consent, retention and erasure."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from reservo.contracts.events.user import UserErased
from reservo.platform.clock import ManualClock
from reservo.services.analytics.jobs import purge
from reservo.services.analytics.models import RawEvent
from reservo.services.analytics.settings import AnalyticsSettings
from tests.conftest import Api
from tests.services.analytics.steps import MARKETING, collect, report
from tests.services.booking.factories import NOW, create_offering, event

TODAY = NOW.date().isoformat()


@pytest.fixture
def backend() -> str:
    """Validation, limits and row-level privacy checks: SQLite is enough (figures run on both)."""
    return "sqlite"


async def raw_events(api: Api) -> list[RawEvent]:
    async with api.runtime.contexts["analytics"].uow.read() as session:
        return list(await session.scalars(select(RawEvent).order_by(RawEvent.occurred_at)))


class TestValidation:
    async def test_view_content_without_an_offering_is_a_clear_problem(self, api: Api) -> None:
        response = await collect(api, "view_content")
        assert (response.status_code, response.json()["code"]) == (422, "invalid_event")

    @pytest.mark.parametrize(
        "body",
        [
            {"kind": "purchase"},
            {"kind": "page_view", "event_id": "short"},
            {"kind": "page_view", "ttclid": "<script>"},
            {"kind": "page_view", "url": "x" * 2001},
        ],
    )
    async def test_bad_fields_are_validation_problems(self, api: Api, body: dict[str, Any]) -> None:
        response = await api.client.post("/api/v1/tenants/acme/analytics/collect", json=body)
        assert (response.status_code, response.json()["code"]) == (422, "validation_failed")

    async def test_unknown_tenant_is_404(self, api: Api) -> None:
        response = await collect(api, "page_view", slug="nobody")
        assert (response.status_code, response.json()["code"]) == (404, "tenant_not_found")

    async def test_reversed_date_range_is_a_problem(self, api: Api) -> None:
        response = await api.client.get(
            "/api/v1/tenants/acme/analytics/funnel",
            params={"from": "2026-06-02", "to": "2026-06-01"},
            headers=api.owner("acme"),
        )
        assert (response.status_code, response.json()["code"]) == (422, "invalid_date_range")


class TestRateLimit:
    async def test_one_client_is_limited_per_window(self, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
        api.runtime.contexts["analytics"].settings_of(AnalyticsSettings).collect_limit = 3
        answers = [(await collect(api, "page_view")).status_code for _ in range(4)]
        assert answers == [202, 202, 202, 429]
        limited = await collect(api, "page_view")
        assert limited.json()["code"] == "rate_limited" and "Retry-After" in limited.headers


class TestRoles:
    async def test_reports_are_for_staff_of_the_tenant(self, api: Api) -> None:
        path = "/api/v1/tenants/acme/analytics/funnel"
        assert (await api.client.get(path)).status_code == 401
        stranger = api.dev_token("eve@example.com", "owner@other")
        assert (await api.client.get(path, headers=stranger)).status_code == 403
        staff = api.dev_token("sam@acme.example", "staff@acme")
        assert (await api.client.get(path, headers=staff)).status_code == 200
        settings = {"retention_days": 30, "keep_client_details": True}
        put = await api.client.put("/api/v1/tenants/acme/analytics/settings", json=settings, headers=staff)
        assert put.status_code == 403  # retention is the owner's choice


class TestConsentAndRetention:
    async def test_client_details_only_with_consent_and_the_tenants_setting(self, api: Api) -> None:
        ua = {"User-Agent": "Mozilla/5.0 test"}
        await collect(api, "page_view", ttclid="clk-1", headers=ua)  # analytics consent only
        await collect(api, "page_view", ttclid="clk-2", consent=MARKETING, headers=ua)  # tenant keeps none
        settings = {"retention_days": 30, "keep_client_details": True}
        put = await api.client.put(
            "/api/v1/tenants/acme/analytics/settings", json=settings, headers=api.owner("acme")
        )
        assert put.status_code == 200, put.text
        await collect(api, "page_view", ttclid="clk-3", consent=MARKETING, headers=ua)
        rows = [(r.ttclid, r.ip, r.user_agent) for r in await raw_events(api)]
        assert rows[0] == (None, None, None)
        assert rows[1] == ("clk-2", None, None)
        assert rows[2][0] == "clk-3" and rows[2][1] is not None and rows[2][2] == "Mozilla/5.0 test"

    async def test_raw_events_are_purged_after_retention_and_figures_stay(
        self, api: Api, clock: ManualClock
    ) -> None:
        settings = {"retention_days": 2, "keep_client_details": False}
        await api.client.put(
            "/api/v1/tenants/acme/analytics/settings", json=settings, headers=api.owner("acme")
        )
        got = await api.client.get("/api/v1/tenants/acme/analytics/settings", headers=api.owner("acme"))
        assert got.json() == settings
        await collect(api, "page_view")
        clock.advance(timedelta(days=1))
        await collect(api, "page_view")
        clock.advance(timedelta(days=1, hours=1))
        assert await purge(api.runtime.contexts["analytics"]) == 1
        assert len(await raw_events(api)) == 1
        funnel = await report(
            api, "funnel", **{"from": TODAY, "to": (NOW + timedelta(days=2)).date().isoformat()}
        )
        assert funnel["funnel"]["page_views"] == 2


class TestErasure:
    async def test_user_erased_anonymises_their_raw_events(self, api: Api) -> None:
        jazz = await create_offering(api, event())
        pair = await api.register("ann@example.com")
        me = api.bearer(pair)
        await collect(
            api, "view_content", offering_id=jazz["id"], consent=MARKETING, ttclid="clk-ann", headers=me
        )
        await collect(api, "page_view", consent=MARKETING, headers=api.dev_token("bob@example.com"))
        user_id = uuid.UUID(pair["user"]["id"])
        user = api.runtime.contexts["user"]
        async with user.uow.transaction() as tx:
            tx.publish(UserErased(user_id=user_id, email="ann@example.com"), tenant_id=None)
        await api.settle()
        rows = await raw_events(api)
        assert all(r.user_id != user_id for r in rows)
        assert [r.ttclid for r in rows] == [None, None]
        assert sum(r.user_id is not None for r in rows) == 1  # bob's stays
        funnel = await report(api, "funnel", **{"from": TODAY, "to": TODAY})
        assert (funnel["funnel"]["views"], funnel["funnel"]["page_views"]) == (1, 1)
