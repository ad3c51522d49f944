"""Google/Apple sign-in as a browser does it (issue 13): the callback ends in a redirect into the web
app with the session in the httpOnly refresh cookie, never a JSON page and never a token in a URL;
a refused sign-in lands there too, with only its problem code."""

from __future__ import annotations

import httpx

from tests.conftest import Api
from tests.services.user.fake_oidc import FakeOidc
from tests.services.user.test_social import _authorize, app_service_settings, app_services, fake

__all__ = ["app_service_settings", "app_services", "fake"]  # fixtures shared with test_social.py
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


async def test_the_callback_redirects_into_the_web_app_with_the_session_cookie(
    api: Api, fake: FakeOidc
) -> None:
    callback = await _authorize(api, fake)
    callback.headers.update(HTML)
    landed = await api.client.send(callback)
    assert landed.status_code == 303, landed.text
    location = landed.headers["location"]
    assert location == "http://localhost:8000/signin/social", location  # public_url + the app's page
    assert "token" not in location and "code=" not in location
    assert not landed.content or "access_token" not in landed.text
    cookies = landed.headers.get_list("set-cookie")
    refresh = next(c for c in cookies if c.startswith("reservo_refresh="))
    assert "HttpOnly" in refresh and "SameSite=strict" in refresh and "Path=/api/v1/auth" in refresh
    # The web app's page then does what it does at every start: refresh through the cookie.
    value = refresh.split(";")[0].split("=", 1)[1]
    session = await api.client.post(
        "/api/v1/auth/refresh?cookie=true", headers={"Cookie": f"reservo_refresh={value}"}
    )
    assert session.status_code == 200, session.text
    assert session.json()["access_token"] and not session.json().get("refresh_token")
    me = await api.client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {session.json()['access_token']}"}
    )
    assert me.json()["email"] == "ada@example.com"


async def test_a_refused_browser_sign_in_lands_in_the_app_with_the_code_only(
    api: Api, fake: FakeOidc
) -> None:
    declined = await api.client.get(
        f"/api/v1/auth/{fake.kind}/callback?error=access_denied&state=x", headers=HTML
    )
    assert declined.status_code == 303
    assert declined.headers["location"] == "http://localhost:8000/signin/social?error=social_sign_in_failed"
    assert not [c for c in declined.headers.get_list("set-cookie") if c.startswith("reservo_refresh=")]
    forged = await api.client.get(f"/api/v1/auth/{fake.kind}/callback?code=abc&state=forged", headers=HTML)
    assert forged.status_code == 303 and forged.headers["location"].endswith("?error=invalid_state")


async def test_api_clients_still_get_json(api: Api, fake: FakeOidc) -> None:
    answered = await api.client.send(await _authorize(api, fake))
    assert answered.status_code == 200 and answered.json()["access_token"]
    assert isinstance(answered, httpx.Response)
