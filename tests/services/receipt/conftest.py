"""Receipt tests: a tenant with an address, a tax id and German receipts, on a ManualClock in 2026."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.conftest import Api

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
TENANT = {
    "name": "東京 Łódź Studio",
    "locale": "de",
    "address": "Hauptstraße 1, 10115 Berlin",
    "tax_id": "DE123456789",
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def api(make_api: Callable[..., Any], clock: ManualClock) -> Api:
    result: Api = await make_api(["user", "catalog", "booking", "payment", "receipt"], clock=clock)
    await result.tenant("acme", **TENANT)
    return result
