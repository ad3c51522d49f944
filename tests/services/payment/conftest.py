"""Payment tests: user, catalog, booking, payment and notification in one app, a ManualClock, tenant acme."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.support.offerings import NOW

SERVICES = ["user", "catalog", "booking", "payment", "notification"]


@pytest.fixture
def app_services() -> Sequence[str]:
    return SERVICES


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def app_tenant() -> dict[str, Any] | None:
    return {"slug": "acme"}
