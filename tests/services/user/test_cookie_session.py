"""The browser variant of sign-in (`?cookie=true`): the refresh token lives in an httpOnly,
SameSite cookie scoped to the auth routes, never in a body the page's script can read."""

from __future__ import annotations

from collections.abc import Sequence
from http.cookies import SimpleCookie

import httpx
import pytest

from tests.conftest import Api

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def app_services() -> Sequence[str]:
    return ["user"]


def _cookie(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


async def test_register_sets_an_httponly_samesite_secure_cookie_and_no_token_in_the_body(api: Api) -> None:
    response = await api.client.post(
        "/api/v1/auth/register?cookie=true",
        json={"email": "web@example.com", "password": PASSWORD, "name": "Web"},
    )
    assert response.status_code == 201
    assert response.json()["refresh_token"] == ""
    assert response.json()["access_token"]
    morsel = _cookie(response)["reservo_refresh"]
    assert morsel.value
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "strict"
    assert morsel["secure"] is True  # the test client's host is reservo.test, not localhost
    assert morsel["path"] == "/api/v1/auth"


async def test_the_cookie_refreshes_rotates_and_logout_clears_it(api: Api) -> None:
    local = httpx.AsyncClient(transport=api.client._transport, base_url="http://localhost:8000")
    login = await local.post(
        "/api/v1/auth/register?cookie=true",
        json={"email": "rot@example.com", "password": PASSWORD, "name": "Rot"},
    )
    first = _cookie(login)["reservo_refresh"]
    assert first["secure"] == ""  # plain HTTP on localhost: development
    refreshed = await local.post(
        "/api/v1/auth/refresh?cookie=true", headers={"Cookie": f"reservo_refresh={first.value}"}
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["refresh_token"] == ""
    me = await local.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    )
    assert me.json()["email"] == "rot@example.com"
    second = _cookie(refreshed)["reservo_refresh"].value
    assert second and second != first.value
    # the spent cookie is refused (rotation), without a cookie there is nothing to refresh
    reused = await local.post(
        "/api/v1/auth/refresh?cookie=true", headers={"Cookie": f"reservo_refresh={first.value}"}
    )
    assert reused.status_code == 401
    nothing = await local.post("/api/v1/auth/refresh?cookie=true")
    assert (nothing.status_code, nothing.json()["code"]) == (401, "invalid_refresh_token")
    # logout revokes the session and expires the cookie
    again = await local.post(
        "/api/v1/auth/login?cookie=true", json={"email": "rot@example.com", "password": PASSWORD}
    )
    current = _cookie(again)["reservo_refresh"].value
    out = await local.post(
        "/api/v1/auth/logout?cookie=true", headers={"Cookie": f"reservo_refresh={current}"}
    )
    assert out.status_code == 204
    cleared = _cookie(out)["reservo_refresh"]
    assert cleared.value == "" and cleared["max-age"] == "0"
    after = await local.post(
        "/api/v1/auth/refresh?cookie=true", headers={"Cookie": f"reservo_refresh={current}"}
    )
    assert after.status_code == 401
    await local.aclose()


async def test_without_the_flag_the_body_keeps_the_refresh_token(api: Api) -> None:
    response = await api.client.post(
        "/api/v1/auth/register", json={"email": "app@example.com", "password": PASSWORD, "name": "App"}
    )
    assert response.json()["refresh_token"]
    assert "reservo_refresh" not in response.headers.get("set-cookie", "")
