"""Issue 9 item 3: one availability request cannot stall the process. The work is bounded (31 days,
slots at least 5 minutes apart, at most MAX_SLOTS slots per answer with `next_from` to continue) and
the slot computation runs off the event loop."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from reservo.services.booking import availability as availability_module
from reservo.services.booking import slots as slots_module
from reservo.services.booking.availability import MAX_SLOTS
from tests.conftest import Api
from tests.services.booking.factories import NOW, create_offering, resources, service, weekly

HEAVIEST = service(
    duration_minutes=5,
    slot_interval_minutes=5,
    schedule=weekly(time(0), time(23, 55)),
    resources=resources(*[f"Chair {n}" for n in range(50)]),
)


async def test_healthz_answers_while_the_heaviest_allowed_request_computes(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    offering = await create_offering(api, HEAVIEST)
    computing, release = threading.Event(), threading.Event()
    outcome: list[bool] = []
    real = slots_module.service_grid  # what availability calls, until patched below

    def observed(*args: Any, **kwargs: Any) -> Any:
        computing.set()
        # Hold the computation until the test has had /healthz answered: if the computation ran on
        # the event loop, /healthz could not be answered before this wait timed out.
        outcome.append(release.wait(timeout=5))
        return real(*args, **kwargs)

    monkeypatch.setattr(availability_module, "service_grid", observed)
    url = f"/api/v1/tenants/acme/offerings/{offering['id']}/availability"
    heavy = asyncio.create_task(api.client.get(url, params={"from": "2026-06-02", "to": "2026-07-02"}))
    assert await asyncio.to_thread(computing.wait, 5)
    health = await asyncio.wait_for(api.client.get("/healthz"), timeout=5)
    assert health.status_code == 200
    assert not heavy.done(), "the availability request finished before /healthz was answered"
    release.set()
    answer = await heavy
    assert outcome == [True], "the slot computation blocked the event loop"
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # 50 chairs x 287 five-minute slots a day for 31 days is far more than one answer holds.
    assert len(body["slots"]) == MAX_SLOTS
    assert body["slots"][0]["remaining"] == 50
    assert body["next_from"] is not None


async def test_next_from_continues_where_the_answer_stopped(api: Api) -> None:
    offering = await create_offering(api, HEAVIEST)
    url = f"/api/v1/tenants/acme/offerings/{offering['id']}/availability"
    first = (await api.client.get(url, params={"from": "2026-06-02", "to": "2026-06-30"})).json()
    second = (await api.client.get(url, params={"from": first["next_from"], "to": "2026-06-30"})).json()
    last_start = datetime.fromisoformat(first["slots"][-1]["start"])
    assert datetime.fromisoformat(second["slots"][0]["start"]) == last_start + timedelta(minutes=5)


async def test_ranges_longer_than_31_days_are_refused(api: Api) -> None:
    offering = await create_offering(api, service())
    url = f"/api/v1/tenants/acme/offerings/{offering['id']}/availability"
    response = await api.client.get(url, params={"from": "2026-06-02", "to": "2026-07-03"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_range"


@pytest.mark.parametrize("field", ["slot_interval_minutes", "duration_minutes"])
async def test_slots_are_at_least_five_minutes_apart(api: Api, field: str) -> None:
    response = await api.client.post(
        "/api/v1/tenants/acme/offerings", json=service(**{field: 1}), headers=api.owner("acme")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == field


async def test_stats_without_a_range_cover_the_last_30_days(api: Api) -> None:
    response = await api.client.get("/api/v1/tenants/acme/stats", headers=api.owner("acme"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert datetime.fromisoformat(body["to"]) == NOW
    assert datetime.fromisoformat(body["from"]) == NOW - timedelta(days=30)
