"""Location tests: user, catalog and location in one app; tenant acme (Berlin).

`maps` runs the fake Google (tests/fakes/google_maps_fake.py) and points the location service at it
with a key; without it no key is configured, as in `make run`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tests.conftest import Api
from tests.fakes.google_maps_fake import API_KEY, FakeGoogleMaps
from tests.fakes.server import serving

SERVICES = ["user", "catalog", "location"]


@pytest.fixture
async def maps(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeGoogleMaps]:
    fake = FakeGoogleMaps()
    async with serving(fake.app()) as url:
        monkeypatch.setenv("RESERVO_LOCATION_GOOGLE_API_KEY", API_KEY)
        monkeypatch.setenv("RESERVO_LOCATION_GEOCODING_API_BASE", url)
        monkeypatch.setenv("RESERVO_LOCATION_PLACES_API_BASE", url)
        monkeypatch.setenv("RESERVO_LOCATION_TIMEOUT_SECONDS", "3")
        yield fake


@pytest.fixture
async def api(make_api: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> Api:
    monkeypatch.delenv("RESERVO_LOCATION_GOOGLE_API_KEY", raising=False)
    result: Api = await make_api(SERVICES)
    await result.tenant("acme")
    return result


async def location(api: Api, slug: str = "acme", **body: Any) -> dict[str, Any]:
    """Create a location by hand (address and coordinates) and settle its events."""
    response = await api.client.post(
        f"/api/v1/tenants/{slug}/locations", json={"name": "Studio", **body}, headers=api.owner(slug)
    )
    assert response.status_code == 201, response.text
    await api.settle()
    return dict(response.json())


BERLIN: dict[str, Any] = {
    "name": "Berlin studio",
    "address": "Alexanderplatz 1, 10178 Berlin",
    "latitude": 52.5219,
    "longitude": 13.4132,
}
POTSDAM: dict[str, Any] = {
    "name": "Potsdam studio",
    "address": "Am Neuen Markt 1, 14467 Potsdam",
    "latitude": 52.3906,
    "longitude": 13.0645,
}
HAMBURG: dict[str, Any] = {
    "name": "Hamburg studio",
    "address": "Rathausmarkt 1, 20095 Hamburg",
    "latitude": 53.5503,
    "longitude": 9.9920,
}
