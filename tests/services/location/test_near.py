"""Near me: offerings sorted by distance from a point, per tenant and across tenants (discover), on
SQLite and PostgreSQL, against known coordinates.

Great-circle distances from Berlin Alexanderplatz (52.5219, 13.4132), worked out by hand with the
equirectangular approximation (good to 0.1 % at this range): Potsdam Am Neuen Markt 27.75 km,
Hamburg Rathausmarkt 255.8 km; Brandenburg Gate to Alexanderplatz 2.48 km."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.services.location.conftest import BERLIN, HAMBURG, POTSDAM, location

ALEX = "52.5219,13.4132"
BRANDENBURG_GATE = "52.5163,13.3777"  # 2.5 km west of Alexanderplatz


@pytest.fixture
async def shops(api: Api) -> dict[str, Any]:
    """acme sells in Hamburg and Berlin, beta in Potsdam (plus a draft in Berlin and one with no place)."""
    await api.tenant("beta")
    ids: dict[str, Any] = {}
    for slug, key, place, name in (
        ("acme", "hamburg", HAMBURG, "Harbour tour"),
        ("acme", "berlin", BERLIN, "Jazz night"),
        ("beta", "potsdam", POTSDAM, "Palace jazz"),
    ):
        where = await location(api, slug, **place)
        ids[key] = (await api.offering(slug, name=name, location_id=where["id"]))["id"]
    berlin = (await api.client.get("/api/v1/tenants/acme/locations", headers=api.owner("acme"))).json()
    await api.offering("acme", name="Secret jazz", status="draft", location_id=berlin["items"][1]["id"])
    await api.offering("acme", name="Online jazz")
    return ids


async def near(api: Api, path: str, **params: Any) -> dict[str, Any]:
    response = await api.client.get(path, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_tenants_offerings_come_closest_first_within_the_radius(
    api: Api, shops: dict[str, Any]
) -> None:
    url = "/api/v1/tenants/acme/offerings"
    close = await near(api, url, near=BRANDENBURG_GATE, radius_km=50)
    assert [i["id"] for i in close["items"]] == [shops["berlin"]]
    assert close["items"][0]["distance_km"] == pytest.approx(2.48, abs=0.03)
    wide = await near(api, url, near=BRANDENBURG_GATE, radius_km=300)
    assert [i["id"] for i in wide["items"]] == [shops["berlin"], shops["hamburg"]]
    assert wide["items"][1]["distance_km"] == pytest.approx(253.9, abs=0.5)
    assert wide["items"][1]["location"]["address"] == HAMBURG["address"]


async def test_discover_spans_tenants_sorted_by_distance_with_pages(api: Api, shops: dict[str, Any]) -> None:
    found = await near(api, "/api/v1/discover", near=ALEX, radius_km=300)
    items = found["items"]
    assert [i["id"] for i in items] == [shops["berlin"], shops["potsdam"], shops["hamburg"]]
    assert [i["tenant"]["slug"] for i in items] == ["acme", "beta", "acme"]
    assert items[0]["distance_km"] == pytest.approx(0, abs=0.01)
    assert items[1]["distance_km"] == pytest.approx(27.75, abs=0.1)
    assert items[2]["distance_km"] == pytest.approx(255.8, abs=0.5)
    within_30 = await near(api, "/api/v1/discover", near=ALEX, radius_km=30)
    assert [i["id"] for i in within_30["items"]] == [shops["berlin"], shops["potsdam"]]
    paged, cursor = [], None
    while True:
        page = await near(
            api,
            "/api/v1/discover",
            near=ALEX,
            radius_km=300,
            limit=1,
            **({"cursor": cursor} if cursor else {}),
        )
        paged += [i["id"] for i in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert paged == [i["id"] for i in items]
    palace = await near(api, "/api/v1/discover", near=ALEX, radius_km=300, q="palace")
    assert [i["id"] for i in palace["items"]] == [shops["potsdam"]]


async def test_near_across_the_antimeridian(api: Api) -> None:
    fiji = await location(api, name="Suva", address="Suva, Fiji", latitude=-18.1416, longitude=178.4419)
    samoa = await location(api, name="Apia", address="Apia, Samoa", latitude=-13.8333, longitude=-171.7667)
    a = (await api.offering(name="Suva dive", location_id=fiji["id"]))["id"]
    b = (await api.offering(name="Apia dive", location_id=samoa["id"]))["id"]
    found = await near(api, "/api/v1/discover", near="-16.0,-179.9", radius_km=500)
    assert [i["id"] for i in found["items"]] == [a]
    both = await near(api, "/api/v1/discover", near="-16.0,-179.9", radius_km=1000)
    assert [i["id"] for i in both["items"]] == [a, b]


async def test_a_malformed_point_is_a_problem(api: Api) -> None:
    for value in ("52.5", "91,13", "52.5,181", "a,b", "52.5;13.4"):
        response = await api.client.get("/api/v1/discover", params={"near": value})
        assert response.status_code == 422, value
        assert response.json()["code"] in ("validation_failed", "invalid_near")
    bad_radius = await api.client.get("/api/v1/discover", params={"near": ALEX, "radius_km": 0})
    assert bad_radius.status_code == 422
