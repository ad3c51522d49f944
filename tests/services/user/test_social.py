"""Google and Apple sign-in through the real adapter against a local fake OpenID provider."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.conftest import Api
from tests.services.user.fake_oidc import FakeOidc, FakeUser
from tests.support.problems import assert_problem


@pytest.fixture(params=["google", "apple"])
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeOidc]:
    server = FakeOidc(request.param).start()
    yield server
    server.stop()


@pytest.fixture
def app_services() -> Sequence[str]:
    return ["user"]


@pytest.fixture
def app_service_settings(fake: FakeOidc) -> dict[str, Any]:
    return {"user": fake.settings()}


async def _authorize(api: Api, fake: FakeOidc) -> httpx.Request:
    """The browser's trip: our /start, the provider's page, and back to our callback (not sent yet)."""
    start = await api.client.get(f"/api/v1/auth/{fake.kind}/start")
    assert start.status_code == 200, start.text
    url, binding = start.json()["authorization_url"], start.json()["binding"]
    assert start.cookies.get("reservo_oauth_binding") == binding
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["state"] and query["nonce"]
    async with httpx.AsyncClient() as browser:
        page = await browser.get(url)
    if fake.kind == "google":
        assert page.status_code == 302, page.text
        back = urlsplit(page.headers["location"])
        return api.client.build_request(
            "GET", f"{back.path}?{back.query}", headers={"X-OAuth-Binding": binding}
        )
    form = page.json()
    return api.client.build_request(
        "POST",
        urlsplit(form["form_post"]).path,
        content=urlencode(form["fields"]),
        headers={"content-type": "application/x-www-form-urlencoded", "X-OAuth-Binding": binding},
    )


async def _sign_in(api: Api, fake: FakeOidc) -> httpx.Response:
    return await api.client.send(await _authorize(api, fake))


class TestSocialSignIn:
    async def test_first_sign_in_creates_a_verified_account_with_the_name(
        self, api: Api, fake: FakeOidc
    ) -> None:
        providers = (await api.client.get("/api/v1/auth/providers")).json()["items"]
        assert [p["name"] for p in providers] == [fake.kind]

        response = await _sign_in(api, fake)
        assert response.status_code == 200, response.text
        pair = response.json()
        assert pair["user"]["email"] == "ada@example.com"
        assert pair["user"]["email_verified"] is True and pair["user"]["name"] == "Ada Lovelace"
        assert pair["user"]["providers"] == [fake.kind] and pair["user"]["has_password"] is False
        me = await api.client.get("/api/v1/users/me", headers=api.bearer(pair))
        assert me.json()["id"] == pair["user"]["id"]
        # The adapter authenticated itself and proved PKCE (the fake checked both).
        assert fake.token_requests[-1]["code_verifier"]

        again = await _sign_in(api, fake)  # Apple sends no `user` this time: the name stays
        assert again.status_code == 200, again.text
        assert again.json()["user"]["id"] == pair["user"]["id"]
        assert again.json()["user"]["name"] == "Ada Lovelace"

    @pytest.mark.parametrize(
        ("tamper", "reason"),
        [
            ("wrong_nonce", "nonce"),
            ("wrong_audience", "audience"),
            ("wrong_issuer", "issuer"),
            ("expired", "expired"),
            ("tampered_signature", "signature"),
            ("unknown_kid", "signature"),
        ],
    )
    async def test_a_bad_id_token_is_refused(
        self, api: Api, fake: FakeOidc, tamper: Any, reason: str
    ) -> None:
        fake.tamper = tamper
        assert_problem(await _sign_in(api, fake), 401, "invalid_id_token", reason=reason)
        assert (
            await api.client.post(
                "/api/v1/auth/login", json={"email": "admin@reservo.example", "password": "x" * 10}
            )
        ).status_code == 401

    async def test_a_replayed_state_is_refused(self, api: Api, fake: FakeOidc) -> None:
        callback = await _authorize(api, fake)
        assert (await api.client.send(callback)).status_code == 200
        replay = api.client.build_request(
            callback.method, callback.url, content=callback.content, headers=dict(callback.headers)
        )
        assert_problem(await api.client.send(replay), 400, "invalid_state")

    async def test_a_callback_in_another_browser_is_refused(self, api: Api, fake: FakeOidc) -> None:
        """Login CSRF: the attacker's own callback URL, opened in the victim's browser, signs nobody in."""
        attackers = await _authorize(api, fake)
        in_victims_browser = api.client.build_request(
            attackers.method,
            attackers.url,
            content=attackers.content,
            headers={k: v for k, v in attackers.headers.items() if k.lower() != "x-oauth-binding"},
        )
        assert_problem(await api.client.send(in_victims_browser), 400, "invalid_state", reason="browser")

    async def test_a_forged_state_is_refused(self, api: Api, fake: FakeOidc) -> None:
        response = await api.client.get(f"/api/v1/auth/{fake.kind}/callback?code=abc&state=forged")
        assert_problem(response, 400, "invalid_state")

    async def test_a_stolen_code_without_the_pkce_verifier_is_useless(self, api: Api, fake: FakeOidc) -> None:
        callback = await _authorize(api, fake)
        # The attacker starts their own sign-in (their state, their verifier) and injects the code.
        other = await _authorize(api, fake)
        fields = parse_qs(
            callback.url.query.decode() if callback.method == "GET" else callback.content.decode()
        )
        theirs = parse_qs(other.url.query.decode() if other.method == "GET" else other.content.decode())
        mixed = {"code": fields["code"][0], "state": theirs["state"][0]}
        response = await api.client.post(
            f"/api/v1/auth/{fake.kind}/callback",
            content=urlencode(mixed),
            headers={
                "content-type": "application/x-www-form-urlencoded",
                "X-OAuth-Binding": other.headers["x-oauth-binding"],
            },
        )
        assert_problem(response, 400, "social_sign_in_failed", reason="invalid_grant")

    async def test_an_existing_unverified_account_is_not_taken_over(self, api: Api, fake: FakeOidc) -> None:
        await api.register("ada@example.com")  # someone registered Ada's address, never verified it
        assert_problem(await _sign_in(api, fake), 409, "account_exists")

    async def test_a_verified_account_is_linked_by_its_verified_email(self, api: Api, fake: FakeOidc) -> None:
        from sqlalchemy import update

        from reservo.services.user.models import User

        pair = await api.register("ada@example.com")
        async with api.runtime.uow("user").transaction() as tx:  # (the emailed link, shortened)
            await tx.session.execute(update(User).values(email_verified_at=api.runtime.clock.now()))
        response = await _sign_in(api, fake)
        assert response.status_code == 200, response.text
        assert response.json()["user"]["id"] == pair["user"]["id"]

    async def test_an_unverified_provider_email_does_not_link(self, api: Api, fake: FakeOidc) -> None:
        from sqlalchemy import update

        from reservo.services.user.models import User

        await api.register("ada@example.com")
        async with api.runtime.uow("user").transaction() as tx:
            await tx.session.execute(update(User).values(email_verified_at=api.runtime.clock.now()))
        fake.user = FakeUser("sub-0001", "ada@example.com", email_verified=False)
        assert_problem(await _sign_in(api, fake), 409, "account_exists")

    async def test_a_signed_in_user_links_a_provider_explicitly(self, api: Api, fake: FakeOidc) -> None:
        pair = await api.register("ada.work@example.com")  # a different address than the provider's
        start = await api.client.get(
            f"/api/v1/users/me/identities/{fake.kind}/start", headers=api.bearer(pair)
        )
        assert start.status_code == 200, start.text
        async with httpx.AsyncClient() as browser:
            page = await browser.get(start.json()["authorization_url"])
        bound = {"X-OAuth-Binding": start.json()["binding"]}
        if fake.kind == "google":
            back = urlsplit(page.headers["location"])
            link = api.client.build_request("GET", f"{back.path}?{back.query}", headers=bound)
        else:
            link = api.client.build_request(
                "POST",
                urlsplit(page.json()["form_post"]).path,
                content=urlencode(page.json()["fields"]),
                headers={"content-type": "application/x-www-form-urlencoded", **bound},
            )
        linked = await api.client.send(link)
        assert linked.status_code == 200, linked.text
        assert linked.json()["user"]["id"] == pair["user"]["id"]
        assert linked.json()["user"]["providers"] == [fake.kind]
        # From now on the provider signs this account in.
        assert (await _sign_in(api, fake)).json()["user"]["id"] == pair["user"]["id"]


class TestBadCallbacks:
    async def test_declined_or_garbled_callbacks_are_400_problems(self, api: Api, fake: FakeOidc) -> None:
        base = f"/api/v1/auth/{fake.kind}/callback"
        declined = await api.client.get(f"{base}?error=access_denied&state=abc")
        assert_problem(declined, 400, "social_sign_in_failed", reason="provider_error")
        assert_problem(await api.client.get(base), 400, "social_sign_in_failed", reason="missing_parameters")
        garbled = await api.client.post(base, content=b"\xff\xfe\x00", headers={"content-type": "text/plain"})
        assert_problem(garbled, 400, "social_sign_in_failed", reason="missing_parameters")
        huge_state = await api.client.get(f"{base}?code=a&state={'s' * 5000}")
        assert_problem(huge_state, 400, "invalid_state")

    async def test_an_unreachable_provider_is_a_502_problem(self, api: Api, fake: FakeOidc) -> None:
        callback = await _authorize(api, fake)
        fake.stop()
        assert_problem(await api.client.send(callback), 502, "provider_error")


class TestApplePrivateRelay:
    async def test_a_relay_address_is_a_real_account_but_never_a_link_key_unverified(self, make_api) -> None:
        fake = FakeOidc("apple").start()
        try:
            api: Api = await make_api(["user"], service_settings={"user": fake.settings()})
            relay = "x7b2k9@privaterelay.appleid.com"
            await api.register(relay)  # an unverified local account with the same relay address
            fake.user = FakeUser("sub-relay", relay, email_verified=False, is_private_email=True)
            assert_problem(await _sign_in(api, fake), 409, "account_exists")
            fake.user = FakeUser("sub-relay-2", "other1@privaterelay.appleid.com", is_private_email=True)
            created = await _sign_in(api, fake)
            assert (
                created.status_code == 200
                and created.json()["user"]["email"] == "other1@privaterelay.appleid.com"
            )
        finally:
            fake.stop()


class TestUnconfigured:
    async def test_unconfigured_providers_are_404_problems_not_crashes(self, make_api) -> None:
        api: Api = await make_api(["user"])
        assert (await api.client.get("/api/v1/auth/providers")).json()["items"] == []
        for path in (
            "/api/v1/auth/google/start",
            "/api/v1/auth/apple/callback?code=a&state=b",
            "/api/v1/auth/myspace/start",
        ):
            assert_problem(await api.client.get(path), 404, "provider_not_configured")
        assert_problem(
            await api.client.post("/api/v1/auth/apple/callback", content=b"code=a"),
            404,
            "provider_not_configured",
        )


class TestArchitecturePaths:
    async def test_the_oauth_authorize_path_redirects_and_its_callback_signs_in(
        self, api: Api, fake: FakeOidc
    ) -> None:
        redirect = await api.client.get(f"/api/v1/auth/oauth/{fake.kind}/authorize")
        assert redirect.status_code == 302
        assert redirect.headers["location"].startswith(f"{fake.issuer}/auth/authorize?")
        cookie = f"reservo_oauth_binding={redirect.cookies['reservo_oauth_binding']}"
        assert "samesite=none" in redirect.headers["set-cookie"].lower()
        async with httpx.AsyncClient() as browser:
            page = await browser.get(redirect.headers["location"])
        if fake.kind == "google":
            back = urlsplit(page.headers["location"])
            response = await api.client.get(
                f"/api/v1/auth/oauth/{fake.kind}/callback?{back.query}", headers={"Cookie": cookie}
            )
        else:
            response = await api.client.post(
                f"/api/v1/auth/oauth/{fake.kind}/callback",
                content=urlencode(page.json()["fields"]),
                headers={"content-type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
        assert response.status_code == 200, response.text
        assert response.json()["user"]["email"] == "ada@example.com"
