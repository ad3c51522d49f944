"""Locations looked up through a local fake Google (Geocoding API, Places API (New)), cached; Google's
statuses become problems; a quota error stops calls to Google for a while (SQLite only: nothing here
depends on the database)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr

from reservo.services.location.settings import LocationSettings
from tests.conftest import Api
from tests.fakes.google_maps_fake import PLACES, FakeGoogleMaps
from tests.services.location.conftest import SERVICES

URL = "/api/v1/tenants/acme/locations"
BERLIN, POTSDAM = PLACES[0], PLACES[1]


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.fixture
async def api(make_api: Callable[..., Any], maps: FakeGoogleMaps) -> Api:
    result: Api = await make_api(SERVICES)
    await result.tenant("acme")
    return result


async def create(api: Api, **body: Any) -> Any:
    return await api.client.post(URL, json={"name": "Studio", **body}, headers=api.owner("acme"))


async def test_an_address_is_geocoded_once_and_then_served_from_the_cache(
    api: Api, maps: FakeGoogleMaps
) -> None:
    first = await create(api, address="Alexanderplatz, Berlin")
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["address"], body["latitude"], body["longitude"]) == (BERLIN.address, BERLIN.lat, BERLIN.lng)
    assert (body["place_id"], body["source"]) == (BERLIN.place_id, "geocoded")
    assert f"query_place_id={BERLIN.place_id}" in body["map_url"]
    again = await create(api, address="Alexanderplatz, Berlin")
    assert again.status_code == 201 and again.json()["latitude"] == BERLIN.lat
    assert maps.count("geocode") == 1


async def test_a_pin_is_reverse_geocoded_and_stays_where_it_was_set(api: Api, maps: FakeGoogleMaps) -> None:
    response = await create(api, latitude=52.3911, longitude=13.0650)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["address"], body["latitude"], body["longitude"], body["source"]) == (
        POTSDAM.address,
        52.3911,
        13.065,
        "reverse",
    )
    assert maps.calls[-1]["latlng"] == "52.3911000,13.0650000"


async def test_autocomplete_then_details_share_one_session_token_and_send_field_masks(
    api: Api, maps: FakeGoogleMaps
) -> None:
    token = str(uuid.uuid4())
    found = await api.client.get(
        f"{URL}/autocomplete",
        params={"input": "Rathausmarkt", "session_token": token},
        headers=api.owner("acme"),
    )
    assert found.status_code == 200, found.text
    assert found.json()["enabled"] is True
    [suggestion] = found.json()["suggestions"]
    assert suggestion["main_text"] == "Rathausmarkt 1"
    created = await create(api, place_id=suggestion["place_id"], session_token=token)
    assert created.status_code == 201, created.text
    assert (created.json()["address"], created.json()["source"]) == (PLACES[2].address, "place")
    complete, details = maps.calls[-2:]
    assert complete["api"] == "autocomplete" and complete["sessionToken"] == token
    assert details["api"] == "details" and details["sessionToken"] == token
    assert details["mask"] and "location" in details["mask"].split(",")
    assert complete["mask"] and complete["mask"].startswith("suggestions.placePrediction")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"address": "Nowhere Street 99, Atlantis"}, 422, "address_not_found"),  # ZERO_RESULTS
        ({"place_id": "ChIJ_stale_place_id"}, 422, "address_not_found"),  # Places 404 NOT_FOUND
        ({"place_id": "not-a-place-id"}, 422, "geocoding_invalid_request"),  # Places 400 INVALID_ARGUMENT
    ],
)
async def test_googles_refusals_become_problems(
    api: Api, maps: FakeGoogleMaps, body: dict[str, Any], status: int, code: str
) -> None:
    response = await create(api, **body)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_rejected_key_is_a_clear_problem_and_never_shown(
    api: Api, maps: FakeGoogleMaps, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = api.runtime.contexts["location"].settings_of(LocationSettings)
    settings.google_api_key = SecretStr("AIzaRevokedKey")  # as if the service had started with it
    geocoded = await create(api, address="Berlin")
    assert (geocoded.status_code, geocoded.json()["code"]) == (502, "geocoding_denied")  # REQUEST_DENIED
    details = await create(api, place_id=BERLIN.place_id)
    assert (details.status_code, details.json()["code"]) == (502, "geocoding_denied")  # 403 PERMISSION_DENIED
    assert "AIza" not in geocoded.text + details.text


async def test_a_quota_error_backs_off_instead_of_hammering_google(api: Api, maps: FakeGoogleMaps) -> None:
    maps.quota_exhausted = True
    first = await create(api, address="Hamburg")
    assert (first.status_code, first.json()["code"]) == (503, "geocoding_quota_exceeded")  # OVER_QUERY_LIMIT
    assert int(first.headers["Retry-After"]) == 30
    calls = len(maps.calls)
    for body in ({"address": "Potsdam"}, {"place_id": BERLIN.place_id}):
        held = await create(api, **body)
        assert (held.status_code, held.json()["code"]) == (503, "geocoding_quota_exceeded")
        assert 0 < int(held.headers["Retry-After"]) <= 30
    assert len(maps.calls) == calls  # nothing reached Google while backing off
    # Entering the address by hand still works during the outage.
    manual = await create(api, address="Rathausmarkt 1", latitude=53.55, longitude=9.99)
    assert manual.status_code == 201
