"""Analytics tests: the booking and payment services with analytics in one app, a ManualClock, tenant acme."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.conftest import Api
from tests.services.booking.factories import NOW

SERVICES = ["user", "catalog", "booking", "payment", "notification", "analytics"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def api(make_api: Callable[..., Any], clock: ManualClock) -> Api:
    result: Api = await make_api(SERVICES, clock=clock)
    await result.tenant("acme")
    return result
