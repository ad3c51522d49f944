"""Creating offerings of each kind: the documented payloads are accepted as they are, bad ones are 422."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.services.catalog.factories import (
    EVENT,
    PRODUCT,
    SERVICE,
    create,
    created,
    error_types,
    offerings_url,
    outbox_envelopes,
    payload,
)
from tests.support.problems import assert_problem


@pytest.fixture
async def acme(api: Api) -> Api:
    await api.tenant("acme")
    return api


class TestCreateEachKind:
    async def test_an_event_is_created_with_its_session_in_utc(self, acme: Api) -> None:
        offering = await created(acme, EVENT)
        assert (offering["kind"], offering["status"], offering["version"]) == ("event", "published", 1)
        (session,) = offering["sessions"]
        assert session["start"].startswith("2026-12-31T19:00:00")
        assert session["end"].startswith("2026-12-31T22:00:00")
        assert session["capacity"] == 50 and session["id"]
        fetched = await acme.client.get(offerings_url("acme", offering["id"]))
        assert fetched.json() == offering
        assert fetched.headers["etag"] == '"1"'

    async def test_a_service_keeps_its_schedule_and_time_zone(self, acme: Api) -> None:
        offering = await created(acme, SERVICE)
        assert offering["timezone"] == "Europe/Berlin"
        assert offering["duration_minutes"] == 30 and offering["capacity_per_slot"] == 1
        assert offering["schedule"]["weekly"] == [{"weekday": "mon", "start": "09:00:00", "end": "17:00:00"}]
        assert offering["schedule"]["exceptions"] == [{"date": "2026-12-28", "closed": True, "intervals": []}]

    async def test_a_product_has_stock_and_the_tenants_time_zone(self, api: Api) -> None:
        await api.tenant("acme", timezone="Europe/Vienna")
        offering = await created(api, PRODUCT)
        assert (offering["stock"], offering["timezone"], offering["sessions"]) == (100, "Europe/Vienna", [])

    async def test_a_draft_is_created_when_asked(self, acme: Api) -> None:
        assert (await created(acme, payload(PRODUCT, status="draft")))["status"] == "draft"

    async def test_the_full_model_round_trips(self, acme: Api) -> None:
        body = payload(
            SERVICE,
            description="Wash, cut and style",
            category="beauty",
            images=["https://cdn.example.com/cut.jpg"],
            variants=[{"name": "Kids", "price": {"amount": 1500, "currency": "EUR"}}],
            tax_rate_bp=1900,
            cancellation_free_hours=24,
            min_quantity=1,
            max_quantity=2,
            lead_time_minutes=60,
            booking_window_days=90,
            buffer_before_minutes=5,
            buffer_after_minutes=10,
            slot_interval_minutes=15,
            resources=[
                {"name": "Ann", "kind": "staff"},
                {
                    "name": "Chair 2",
                    "kind": "room",
                    "schedule": {"weekly": [{"weekday": "mon", "start": "12:00", "end": "17:00"}]},
                },
            ],
        )
        body["schedule"]["exceptions"].append(
            {"date": "2026-12-24", "intervals": [{"start": "09:00", "end": "12:00"}]}
        )
        offering = await created(acme, body)
        for field in ("description", "category", "images", "tax_rate_bp", "max_quantity"):
            assert offering[field] == body[field]
        assert [v["name"] for v in offering["variants"]] == ["Kids"] and offering["variants"][0]["id"]
        assert [(r["name"], r["kind"]) for r in offering["resources"]] == [
            ("Ann", "staff"),
            ("Chair 2", "room"),
        ]
        assert offering["resources"][1]["schedule"]["weekly"][0]["start"] == "12:00:00"
        assert offering["schedule"]["exceptions"][1]["intervals"] == [
            {"start": "09:00:00", "end": "12:00:00"}
        ]

    @pytest.mark.parametrize("body", [EVENT, SERVICE, PRODUCT], ids=["event", "service", "product"])
    async def test_creation_emits_the_whole_state(self, acme: Api, body: dict[str, Any]) -> None:
        offering = await created(acme, body)
        (envelope,) = await outbox_envelopes(acme, "catalog.offering.created")
        state = envelope["data"]["offering"]
        assert envelope["key"] == offering["id"] and envelope["tenant_id"] == state["tenant_id"]
        assert (state["id"], state["version"], state["kind"]) == (offering["id"], 1, body["kind"])
        assert (state["price"], state["status"], state["deleted"]) == (body["price"], "published", False)
        if body["kind"] == "event":
            assert [s["id"] for s in state["sessions"]] == [s["id"] for s in offering["sessions"]]
        if body["kind"] == "service":
            assert state["schedule"]["exceptions"] == [
                {"date": "2026-12-28", "closed": True, "intervals": []}
            ]
            assert state["duration_minutes"] == 30 and state["timezone"] == "Europe/Berlin"
        if body["kind"] == "product":
            assert state["stock"] == 100


def _session(start: str, end: str, capacity: int = 10) -> dict[str, Any]:
    return {"start": start, "end": end, "capacity": capacity}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("event without sessions", payload(EVENT, sessions=[]), "sessions_required"),
    (
        "service without duration",
        {k: v for k, v in SERVICE.items() if k != "duration_minutes"},
        "duration_required",
    ),
    ("service without schedule", {k: v for k, v in SERVICE.items() if k != "schedule"}, "schedule_required"),
    ("product without stock", {k: v for k, v in PRODUCT.items() if k != "stock"}, "stock_required"),
    ("product with sessions", payload(PRODUCT, sessions=EVENT["sessions"]), "field_not_for_kind"),
    ("event with stock", payload(EVENT, stock=5), "field_not_for_kind"),
    (
        "session ending before it starts",
        payload(EVENT, sessions=[_session("2026-12-31T23:00:00+01:00", "2026-12-31T20:00:00+01:00")]),
        "session_order",
    ),
    (
        "naive session time",
        payload(EVENT, sessions=[_session("2026-12-31T20:00:00", "2026-12-31T23:00:00")]),
        "timezone_aware",
    ),
    ("unknown time zone", payload(EVENT, timezone="Mars/Olympus"), "value_error"),
    (
        "weekly rule ending before it starts",
        payload(SERVICE, schedule={"weekly": [{"weekday": "mon", "start": "17:00", "end": "09:00"}]}),
        "interval_order",
    ),
    (
        "overlapping weekly rules",
        payload(
            SERVICE,
            schedule={
                "weekly": [
                    {"weekday": "tue", "start": "09:00", "end": "13:00"},
                    {"weekday": "tue", "start": "12:00", "end": "17:00"},
                ]
            },
        ),
        "overlapping_rules",
    ),
    (
        "unknown weekday",
        payload(SERVICE, schedule={"weekly": [{"weekday": "xyz", "start": "09:00", "end": "10:00"}]}),
        "literal_error",
    ),
    (
        "closed date with hours",
        payload(
            SERVICE,
            schedule={
                "exceptions": [
                    {"date": "2026-12-28", "closed": True, "intervals": [{"start": "09:00", "end": "10:00"}]}
                ]
            },
        ),
        "exception_closed_with_hours",
    ),
    (
        "lower-case currency",
        payload(PRODUCT, price={"amount": 100, "currency": "eur"}),
        "string_pattern_mismatch",
    ),
    ("negative price", payload(PRODUCT, price={"amount": -1, "currency": "EUR"}), "greater_than_equal"),
    (
        "variant in another currency",
        payload(PRODUCT, variants=[{"name": "Big", "price": {"amount": 100, "currency": "USD"}}]),
        "variant_currency",
    ),
    ("min above max quantity", payload(PRODUCT, min_quantity=5, max_quantity=2), "quantity_range"),
    ("empty name", payload(PRODUCT, name=""), "string_too_short"),
    ("overlong name", payload(PRODUCT, name="x" * 201), "string_too_long"),
    ("too many sessions", payload(EVENT, sessions=EVENT["sessions"] * 501), "too_long"),
    ("unknown kind", payload(PRODUCT, kind="course"), "literal_error"),
    ("unknown field", payload(PRODUCT, colour="red"), "extra_forbidden"),
    ("image that is no URL", payload(PRODUCT, images=["not a url"]), "string_pattern_mismatch"),
    (
        "client-chosen session id",
        payload(EVENT, sessions=[{**EVENT["sessions"][0], "id": "5c9b0a58-4ef4-4d8e-a3c4-0d5f2b6a7e10"}]),
        "unknown_id",
    ),
]


class TestInvalidOfferings:
    @pytest.mark.parametrize(("body", "code"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
    async def test_is_a_422_naming_the_rule(self, acme: Api, body: dict[str, Any], code: str) -> None:
        response = await create(acme, body)
        assert code in error_types(response)
        assert await outbox_envelopes(acme, "catalog.offering.created") == []

    async def test_a_price_in_another_currency_than_the_tenants_is_a_422(self, acme: Api) -> None:
        response = await create(acme, payload(PRODUCT, price={"amount": 100, "currency": "USD"}))
        assert_problem(response, 422, "currency_mismatch")

    async def test_another_tenants_staff_cannot_create(self, acme: Api) -> None:
        stranger = acme.dev_token("eve@example.com", "staff@other")
        response = await acme.client.post(offerings_url("acme"), json=PRODUCT, headers=stranger)
        assert_problem(response, 403, "forbidden")

    async def test_staff_of_the_tenant_can_create(self, acme: Api) -> None:
        staff = acme.dev_token("sam@example.com", "staff@acme")
        response = await acme.client.post(offerings_url("acme"), json=PRODUCT, headers=staff)
        assert response.status_code == 201, response.text

    async def test_an_unknown_tenant_is_a_404(self, acme: Api) -> None:
        assert_problem(await create(acme, PRODUCT, slug="nobody"), 404, "tenant_not_found")
