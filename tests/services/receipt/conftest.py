"""Receipt tests: a tenant with an address, a tax id and German receipts, on a ManualClock in 2026."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.support.offerings import NOW

__all__ = ["NOW", "TENANT"]

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
def app_services() -> Sequence[str]:
    return ["user", "catalog", "booking", "payment", "receipt"]


@pytest.fixture
def app_tenant() -> dict[str, Any] | None:
    return {"slug": "acme", **TENANT}
