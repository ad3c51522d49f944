"""Locations entered by hand (no maps API key, as in `make run`), and offerings that point at them.

SQLite only: test_near.py runs locations, the catalog replica and distance search on PostgreSQL too."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import Api
from tests.services.location.conftest import BERLIN, HAMBURG, POTSDAM, location


@pytest.fixture
def backend() -> str:
    return "sqlite"


class TestWithoutAKey:
    async def test_a_location_is_created_by_hand_and_has_a_map_link(self, api: Api) -> None:
        created = await location(api, **BERLIN)
        assert (created["address"], created["latitude"], created["longitude"]) == (
            BERLIN["address"],
            52.5219,
            13.4132,
        )
        assert created["source"] == "manual" and created["place_id"] is None
        link = urlsplit(created["map_url"])
        assert (link.scheme, link.netloc, link.path) == ("https", "www.google.com", "/maps/search/")
        assert parse_qs(link.query) == {"api": ["1"], "query": ["52.521900,13.413200"]}

    async def test_lookups_that_need_google_answer_clear_problems(self, api: Api) -> None:
        url, owner = "/api/v1/tenants/acme/locations", api.owner("acme")
        address_only = await api.client.post(url, json={"name": "A", "address": "Somewhere 1"}, headers=owner)
        assert (address_only.status_code, address_only.json()["code"]) == (422, "coordinates_required")
        by_place = await api.client.post(url, json={"name": "A", "place_id": "ChIJabc"}, headers=owner)
        assert (by_place.status_code, by_place.json()["code"]) == (422, "maps_not_configured")
        pin_only = await api.client.post(
            url, json={"name": "A", "latitude": 52.5, "longitude": 13.4}, headers=owner
        )
        assert (pin_only.status_code, pin_only.json()["code"]) == (422, "address_required")
        half = await api.client.post(
            url, json={"name": "A", "address": "X 1", "latitude": 52.5}, headers=owner
        )
        assert half.status_code == 422 and half.json()["errors"][0]["type"] == "coordinates_pair"
        suggestions = await api.client.get(f"{url}/autocomplete", params={"input": "Alex"}, headers=owner)
        assert suggestions.status_code == 200 and suggestions.json() == {"enabled": False, "suggestions": []}

    async def test_staff_list_page_by_page_and_anyone_reads_one(self, api: Api) -> None:
        made = [await location(api, **place) for place in (BERLIN, POTSDAM, HAMBURG)]
        url = "/api/v1/tenants/acme/locations"
        first = (await api.client.get(url, params={"limit": 2}, headers=api.owner("acme"))).json()
        second = (
            await api.client.get(
                url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=api.owner("acme")
            )
        ).json()
        assert [i["id"] for i in first["items"] + second["items"]] == [m["id"] for m in made]
        assert second["next_cursor"] is None
        assert (await api.client.get(url)).status_code == 401
        one = await api.client.get(f"{url}/{made[1]['id']}")
        assert one.status_code == 200 and one.json()["name"] == "Potsdam studio"
        missing = await api.client.get(f"{url}/{uuid.uuid4()}")
        assert (missing.status_code, missing.json()["code"]) == (404, "location_not_found")

    async def test_another_tenant_cannot_see_or_use_the_location(self, api: Api) -> None:
        await api.tenant("other")
        mine = await location(api, **BERLIN)
        theirs = await api.client.get(f"/api/v1/tenants/other/locations/{mine['id']}")
        assert theirs.status_code == 404
        offering = await api.client.post(
            "/api/v1/tenants/other/offerings",
            json={
                "kind": "product",
                "name": "Box",
                "price": {"amount": 100, "currency": "EUR"},
                "stock": 1,
                "location_id": mine["id"],
            },
            headers=api.owner("other"),
        )
        assert (offering.status_code, offering.json()["code"]) == (422, "location_not_found")
        assert offering.json()["errors"][0]["loc"] == ["body", "location_id"]


class TestOfferingsShowTheirLocation:
    async def test_an_offering_answers_with_the_address_and_map_link(self, api: Api) -> None:
        place = await location(api, **BERLIN)
        offering = await api.offering(location_id=place["id"])
        assert offering["location"]["address"] == BERLIN["address"]
        assert offering["location"]["map_url"] == place["map_url"]
        read = (await api.client.get(f"/api/v1/tenants/acme/offerings/{offering['id']}")).json()
        listed = (await api.client.get("/api/v1/tenants/acme/offerings")).json()["items"][0]
        assert read["location"] == listed["location"] == offering["location"]

    async def test_an_unknown_location_is_refused_on_create_and_update(self, api: Api) -> None:
        response = await api.client.post(
            "/api/v1/tenants/acme/offerings",
            json={
                "kind": "product",
                "name": "Box",
                "price": {"amount": 100, "currency": "EUR"},
                "stock": 1,
                "location_id": str(uuid.uuid4()),
            },
            headers=api.owner("acme"),
        )
        assert (response.status_code, response.json()["code"]) == (422, "location_not_found")
        offering = await api.offering()
        patch = await api.client.patch(
            f"/api/v1/tenants/acme/offerings/{offering['id']}",
            json={"version": offering["version"], "location_id": str(uuid.uuid4())},
            headers=api.owner("acme"),
        )
        assert (patch.status_code, patch.json()["code"]) == (422, "location_not_found")

    async def test_a_moved_location_shows_in_its_offerings_once_the_event_arrives(self, api: Api) -> None:
        place = await location(api, **BERLIN)
        offering = await api.offering(location_id=place["id"])
        moved = await api.client.patch(
            f"/api/v1/tenants/acme/locations/{place['id']}",
            json={
                "version": place["version"],
                "name": "Potsdam studio",
                "address": POTSDAM["address"],
                "latitude": POTSDAM["latitude"],
                "longitude": POTSDAM["longitude"],
            },
            headers=api.owner("acme"),
        )
        assert moved.status_code == 200 and moved.json()["version"] == 2
        stale = await api.client.patch(
            f"/api/v1/tenants/acme/locations/{place['id']}",
            json={"version": 1, "name": "X"},
            headers=api.owner("acme"),
        )
        assert stale.status_code == 409
        await api.settle()
        read = (await api.client.get(f"/api/v1/tenants/acme/offerings/{offering['id']}")).json()
        assert read["location"]["address"] == POTSDAM["address"]
        assert "52.390600,13.064500" in read["location"]["map_url"].replace("%2C", ",")

    async def test_a_location_in_use_is_not_deleted_until_no_offering_uses_it(self, api: Api) -> None:
        place = await location(api, **BERLIN)
        offering = await api.offering(location_id=place["id"])
        url = f"/api/v1/tenants/acme/locations/{place['id']}"
        refused = await api.client.delete(url, headers=api.owner("acme"))
        assert (refused.status_code, refused.json()["code"]) == (409, "location_in_use")
        cleared = await api.client.patch(
            f"/api/v1/tenants/acme/offerings/{offering['id']}",
            json={"version": offering["version"], "location_id": None},
            headers=api.owner("acme"),
        )
        assert cleared.status_code == 200 and cleared.json()["location"] is None
        await api.settle()
        assert (await api.client.delete(url, headers=api.owner("acme"))).status_code == 204
        assert (await api.client.get(url)).status_code == 404
        await api.settle()
        again = await api.client.post(
            "/api/v1/tenants/acme/offerings",
            json={
                "kind": "product",
                "name": "Box",
                "price": {"amount": 100, "currency": "EUR"},
                "stock": 1,
                "location_id": place["id"],
            },
            headers=api.owner("acme"),
        )
        assert (again.status_code, again.json()["code"]) == (422, "location_not_found")


@pytest.mark.parametrize("role", ["customer", "other-owner"])
async def test_only_the_tenants_staff_manage_locations(api: Api, role: str) -> None:
    headers = (
        api.dev_token("c@example.com") if role == "customer" else api.dev_token("o@x.example", "owner@other")
    )
    response = await api.client.post("/api/v1/tenants/acme/locations", json=BERLIN, headers=headers)
    assert response.status_code == 403
