"""Issue 9 item 2: every input the outside probe turned into a 500 is a 4xx problem with a stable code."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.support.offerings import event, price
from tests.support.problems import assert_problem


@pytest.fixture
async def shop(api: Api) -> dict[str, Any]:
    await api.tenant("acme")
    return {
        "service": await api.offering(kind="service"),
        "event": await api.offering(),
    }


@pytest.mark.parametrize("year", ["0001", "9999"])
async def test_far_dates_are_range_problems(api: Api, shop: dict[str, Any], year: str) -> None:
    service = shop["service"]["id"]
    url = f"/api/v1/tenants/acme/offerings/{service}/availability"
    for frm, to in [(f"{year}-01-01", f"{year}-01-02"), (f"{year}-12-31", f"{year}-12-31")]:
        assert_problem(await api.client.get(url, params={"from": frm, "to": to}), 422, "invalid_range")
    instant = f"{year}-12-31T23:30:00-05:00" if year == "9999" else f"{year}-01-01T00:30:00+05:00"
    assert_problem(
        await api.client.get(url, params={"from": instant, "to": "2026-12-01"}), 422, "invalid_range"
    )
    staff = api.owner("acme")
    for path in ("/api/v1/tenants/acme/stats", "/api/v1/tenants/acme/bookings"):
        response = await api.client.get(
            path, params={"from": f"{year}-01-01", "to": "2026-01-01"}, headers=staff
        )
        assert_problem(response, 422, "invalid_range")
    assert_problem(await api.book(service, start=instant), 422, "validation_failed")
    session = {"start": f"{year}-12-31T20:00:00+00:00", "end": f"{year}-12-31T21:00:00+00:00", "capacity": 2}
    body = event(name="Far", price=price(100), sessions=[session])
    response = await api.client.post("/api/v1/tenants/acme/offerings", json=body, headers=staff)
    assert_problem(response, 422, "validation_failed")


@pytest.mark.parametrize(
    "cursor", ["WzEsMl0", "WyJ4IiwieSJd", "W251bGwsbnVsbF0", "bm90IGpzb24", "W1tbW1tbXV1dXV1d"]
)
async def test_foreign_cursors_are_invalid_cursor(api: Api, shop: dict[str, Any], cursor: str) -> None:
    for path, headers in [
        ("/api/v1/tenants/acme/offerings", {}),
        ("/api/v1/tenants/acme/bookings", api.owner("acme")),
        ("/api/v1/me/bookings", api.dev_token("ann@example.com")),
    ]:
        assert_problem(
            await api.client.get(path, params={"cursor": cursor}, headers=headers), 400, "invalid_cursor"
        )


async def test_cursor_round_trip_still_pages(api: Api, shop: dict[str, Any]) -> None:
    first = (await api.client.get("/api/v1/tenants/acme/offerings", params={"limit": 1})).json()
    second = await api.client.get(
        "/api/v1/tenants/acme/offerings", params={"limit": 1, "cursor": first["next_cursor"]}
    )
    assert second.status_code == 200
    assert second.json()["items"][0]["id"] != first["items"][0]["id"]


async def test_huge_price_filter_is_a_validation_problem(api: Api, shop: dict[str, Any]) -> None:
    response = await api.client.get(
        "/api/v1/tenants/acme/offerings", params={"min_price": "100000000000000000000"}
    )
    assert_problem(response, 422, "validation_failed")


async def test_deeply_nested_json_with_idempotency_key(api: Api, shop: dict[str, Any]) -> None:
    body = "[" * 5000 + "]" * 5000
    for headers in ({}, {"Idempotency-Key": "deep-1"}):
        response = await api.client.post(
            "/api/v1/tenants/acme/bookings",
            content=body,
            headers={"content-type": "application/json", **headers},
        )
        assert 400 <= response.status_code < 500, response.text


# "²" as the single latin-1 byte a probe sends (str.isdigit() is true for it), an Arabic-Indic three
# in UTF-8, more digits than a version has (the header is declared at most 40 long), a negative number.
@pytest.mark.parametrize("value", ["²".encode("latin-1"), "٣".encode(), b"9" * 40, b"-1"])
async def test_if_match_must_be_ascii_digits(api: Api, shop: dict[str, Any], value: bytes) -> None:
    offering = shop["event"]["id"]
    url = f"/api/v1/tenants/acme/offerings/{offering}"
    headers = {k.encode(): v.encode() for k, v in api.owner("acme").items()} | {b"If-Match": value}
    for method, path, body in [
        ("PATCH", url, {"name": "x"}),
        ("POST", url + "/archive", None),
        ("DELETE", url, None),
    ]:
        response = await api.client.request(method, path, json=body, headers=headers)
        assert_problem(response, 400, "invalid_if_match")
