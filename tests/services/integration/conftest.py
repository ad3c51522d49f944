"""Integration tests: bookings, payments, analytics and integration in one app, a ManualClock, tenant
acme, and the local fake of TikTok's Events API (tests/fakes/tiktok_fake.py) on a real port."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from reservo.services import integration
from tests.conftest import Api
from tests.fakes.server import serving
from tests.fakes.tiktok_fake import FakeTikTok
from tests.services.booking.factories import NOW

SERVICES = ["user", "catalog", "booking", "payment", "notification", "analytics", "integration"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def tiktok(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeTikTok]:
    fake = FakeTikTok()
    async with serving(fake.app()) as url:
        monkeypatch.setenv("RESERVO_INTEGRATION_TIKTOK_API_BASE", url)
        monkeypatch.setenv("RESERVO_INTEGRATION_TIKTOK_TIMEOUT_SECONDS", "3")
        monkeypatch.setenv("RESERVO_INTEGRATION_BACKOFF_BASE_SECONDS", "10")
        monkeypatch.setenv("RESERVO_INTEGRATION_BREAKER_THRESHOLD", "3")
        monkeypatch.setenv("RESERVO_INTEGRATION_BREAKER_COOLDOWN_SECONDS", "120")
        yield fake


# The delivery job without its background loop: each test runs it (steps.run_deliveries) and so
# knows exactly which attempts happened. `live_api` keeps the loop, as `make run` does.
DRIVEN = [*SERVICES[:-1], replace(integration.spec, jobs=())]


@pytest.fixture
async def api(make_api: Callable[..., Any], clock: ManualClock, tiktok: FakeTikTok) -> Api:
    result: Api = await make_api(DRIVEN, clock=clock)
    await result.tenant("acme")
    return result


@pytest.fixture
async def live_api(make_api: Callable[..., Any], clock: ManualClock, tiktok: FakeTikTok) -> Api:
    result: Api = await make_api(SERVICES, clock=clock)
    await result.tenant("acme")
    return result
