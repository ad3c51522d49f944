"""Booking tests run on a ManualClock (holds expire when the test says so) with a tenant `acme`."""

from __future__ import annotations

from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.support.offerings import NOW


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def app_tenant() -> dict[str, Any] | None:
    return {"slug": "acme"}
