"""Accounts through HTTP: register, verify, sign in, refresh rotation and theft detection, sessions,
password reset, bad input and rate limits. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import httpx
import pytest

from reservo.services.user.settings import UserSettings
from tests.conftest import Api
from tests.services.user.mail import link_token, mail_to, mails_to
from tests.support.problems import assert_problem

PASSWORD = "correct horse battery"


@pytest.fixture
def app_services() -> Sequence[str]:
    return ["user", "notification"]


async def _me(api: Api, pair: dict[str, Any]) -> httpx.Response:
    return await api.client.get("/api/v1/users/me", headers=api.bearer(pair))


async def _refresh(api: Api, token: str) -> httpx.Response:
    return await api.client.post("/api/v1/auth/refresh", json={"refresh_token": token})


class TestRegistration:
    async def test_a_new_account_is_signed_in_and_unverified_until_the_link_is_opened(self, api: Api) -> None:
        pair = await api.register("ann@example.com", PASSWORD, "Ann")
        assert pair["token_type"] == "bearer" and pair["expires_in"] == 900
        assert pair["user"]["email"] == "ann@example.com" and pair["user"]["email_verified"] is False
        me = (await _me(api, pair)).json()
        assert (me["id"], me["name"], me["email_verified"]) == (pair["user"]["id"], "Ann", False)

        mail = await mail_to(api, "ann@example.com", "Confirm your email")
        token = link_token(mail)
        verified = await api.client.post("/api/v1/auth/verify-email", json={"token": token})
        assert verified.status_code == 200 and verified.json()["email_verified"] is True
        assert (await _me(api, pair)).json()["email_verified"] is True
        assert_problem(
            await api.client.post("/api/v1/auth/verify-email", json={"token": token}), 400, "invalid_link"
        )

    async def test_the_email_is_case_insensitive_and_taken_once(self, api: Api) -> None:
        await api.register("Ann@Example.com")
        body = {"email": "ann@example.COM", "password": PASSWORD, "name": "Other"}
        assert_problem(await api.client.post("/api/v1/auth/register", json=body), 409, "email_taken")
        login = await api.client.post(
            "/api/v1/auth/login", json={"email": "ANN@example.com", "password": PASSWORD}
        )
        assert login.status_code == 200

    async def test_concurrent_registrations_of_one_email_create_one_account(self, api: Api) -> None:
        body = {"email": "race@example.com", "password": PASSWORD, "name": "R"}
        results = await asyncio.gather(
            *(api.client.post("/api/v1/auth/register", json=body) for _ in range(5))
        )
        assert sorted(r.status_code for r in results) == [201, 409, 409, 409, 409]

    @pytest.mark.parametrize(
        ("password", "status", "code"),
        [
            ("short", 422, "weak_password"),
            ("123456789", 422, "weak_password"),
            ("password123", 422, "weak_password"),
            ("QWERTYUIOP", 422, "weak_password"),
            ("aaaaaaaaaaaa", 422, "weak_password"),
            ("x" * 1025, 422, "password_too_long"),
            ("é" * 600, 422, "password_too_long"),  # 1200 bytes, 600 characters
        ],
    )
    async def test_weak_or_huge_passwords_are_refused(
        self, api: Api, password: str, status: int, code: str
    ) -> None:
        body = {"email": "ann@example.com", "password": password, "name": "Ann"}
        assert_problem(await api.client.post("/api/v1/auth/register", json=body), status, code)

    @pytest.mark.parametrize(
        "body",
        [
            {"email": "not-an-email", "password": PASSWORD, "name": "A"},
            {"email": "a@b", "password": PASSWORD, "name": "A"},
            {"email": "a@example.com", "password": PASSWORD, "name": ""},
            {"email": "a@example.com", "password": PASSWORD},
            {"email": "a@example.com", "password": PASSWORD, "name": "A", "admin": True},
            {"email": ["a@example.com"], "password": PASSWORD, "name": "A"},
            {"email": "a@example.com", "password": 12345678901, "name": "A"},
        ],
    )
    async def test_invalid_fields_are_422_problems(self, api: Api, body: dict[str, Any]) -> None:
        assert_problem(await api.client.post("/api/v1/auth/register", json=body), 422, "validation_failed")

    @pytest.mark.parametrize("path", ["register", "login", "refresh", "logout", "verify-email"])
    async def test_malformed_json_is_a_400_problem(self, api: Api, path: str) -> None:
        response = await api.client.post(
            f"/api/v1/auth/{path}", content=b'{"email": ', headers={"content-type": "application/json"}
        )
        assert_problem(response, 400, "malformed_request")


class TestLogin:
    async def test_wrong_password_and_unknown_email_get_the_same_answer(self, api: Api) -> None:
        await api.register("ann@example.com")
        wrong = await api.client.post(
            "/api/v1/auth/login", json={"email": "ann@example.com", "password": "x" * 12}
        )
        unknown = await api.client.post(
            "/api/v1/auth/login", json={"email": "bob@example.com", "password": "x" * 12}
        )
        assert wrong.status_code == unknown.status_code == 401
        assert wrong.json() == unknown.json()
        assert wrong.json()["code"] == "invalid_credentials"

    async def test_a_huge_password_at_login_is_just_wrong(self, api: Api) -> None:
        await api.register("ann@example.com")
        body = {"email": "ann@example.com", "password": "y" * 5000}
        assert_problem(await api.client.post("/api/v1/auth/login", json=body), 401, "invalid_credentials")

    async def test_each_login_is_a_session_listed_and_revocable(self, api: Api) -> None:
        first = await api.register("ann@example.com")
        body = {"email": "ann@example.com", "password": PASSWORD}
        second = (
            await api.client.post("/api/v1/auth/login", json=body, headers={"user-agent": "phone"})
        ).json()
        listed = (await api.client.get("/api/v1/users/me/sessions", headers=api.bearer(second))).json()[
            "items"
        ]
        assert len(listed) == 2
        assert [s["user_agent"] for s in listed if s["current"]] == ["phone"]

        other = next(s for s in listed if not s["current"])
        deleted = await api.client.delete(
            f"/api/v1/users/me/sessions/{other['id']}", headers=api.bearer(second)
        )
        assert deleted.status_code == 204
        assert_problem(await _refresh(api, first["refresh_token"]), 401, "invalid_refresh_token")
        assert (await _refresh(api, second["refresh_token"])).status_code == 200
        # Another user's session id is not found, not revoked.
        eve = await api.register("eve@example.com")
        current = next(s for s in listed if s["current"])
        assert_problem(
            await api.client.delete(f"/api/v1/users/me/sessions/{current['id']}", headers=api.bearer(eve)),
            404,
            "session_not_found",
        )

    async def test_the_ip_rate_limit_answers_429_with_retry_after(self, api: Api) -> None:
        limit = api.runtime.contexts["user"].settings_of(UserSettings).auth_ip_limit
        for i in range(limit):
            body = {"email": f"guess{i}@example.com", "password": "wrong-password"}
            assert (await api.client.post("/api/v1/auth/login", json=body)).status_code == 401
        body = {"email": "guess-last@example.com", "password": "wrong-password"}
        response = await api.client.post("/api/v1/auth/login", json=body)
        assert_problem(response, 429, "rate_limited")
        assert int(response.headers["retry-after"]) >= 1

    async def test_the_account_rate_limit_stops_guessing_one_password(self, api: Api) -> None:
        await api.register("ann@example.com")
        limit = api.runtime.contexts["user"].settings_of(UserSettings).auth_account_limit
        for _ in range(limit):
            body = {"email": "ann@example.com", "password": "wrong-password"}
            assert (await api.client.post("/api/v1/auth/login", json=body)).status_code == 401
        right = {"email": "ann@example.com", "password": PASSWORD}
        assert_problem(await api.client.post("/api/v1/auth/login", json=right), 429, "rate_limited")

    async def test_a_stranger_guessing_cannot_lock_the_owner_out(self, api: Api) -> None:
        """Issue 9 item 8: the account limit counts per source; the owner elsewhere still signs in."""
        await api.register("ann@example.com")
        app = api.client._transport.app  # type: ignore[attr-defined]

        def client_at(address: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(address, 40000))
            return httpx.AsyncClient(transport=transport, base_url="http://reservo.test")

        stranger, owner = client_at("203.0.113.66"), client_at("198.51.100.7")
        wrong = {"email": "ann@example.com", "password": "wrong-password"}
        for _ in range(api.runtime.contexts["user"].settings_of(UserSettings).auth_account_limit):
            assert (await stranger.post("/api/v1/auth/login", json=wrong)).status_code == 401
        right = {"email": "ann@example.com", "password": PASSWORD}
        assert_problem(await stranger.post("/api/v1/auth/login", json=right), 429, "rate_limited")
        signed_in = await owner.post("/api/v1/auth/login", json=right)
        assert signed_in.status_code == 200, signed_in.text


class TestRefresh:
    async def test_refresh_rotates_and_reuse_revokes_the_whole_family(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        second = await _refresh(api, pair["refresh_token"])
        assert second.status_code == 200
        third = (await _refresh(api, second.json()["refresh_token"])).json()
        assert third["refresh_token"] not in (pair["refresh_token"], second.json()["refresh_token"])

        # The first token comes back (a thief's copy): refused, and the family dies.
        assert_problem(await _refresh(api, pair["refresh_token"]), 401, "invalid_refresh_token")
        assert_problem(await _refresh(api, third["refresh_token"]), 401, "invalid_refresh_token")
        # Another sign-in of the same user is a different family and still works.
        login = await api.client.post(
            "/api/v1/auth/login", json={"email": "ann@example.com", "password": PASSWORD}
        )
        assert (await _refresh(api, login.json()["refresh_token"])).status_code == 200

    async def test_two_concurrent_uses_of_one_token_let_at_most_one_through(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        results = await asyncio.gather(*(_refresh(api, pair["refresh_token"]) for _ in range(4)))
        assert [r.status_code for r in results].count(200) <= 1
        for r in results:
            if r.status_code == 200:  # the winner's new token died with the family
                assert_problem(await _refresh(api, r.json()["refresh_token"]), 401, "invalid_refresh_token")

    @pytest.mark.parametrize("token", ["nope", "x" * 512, "a.b.c"])
    async def test_unknown_refresh_tokens_are_401(self, api: Api, token: str) -> None:
        assert_problem(await _refresh(api, token), 401, "invalid_refresh_token")

    async def test_an_oversized_refresh_token_is_a_422(self, api: Api) -> None:
        assert_problem(await _refresh(api, "x" * 513), 422, "validation_failed")

    async def test_logout_revokes_the_session(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        out = await api.client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
        assert out.status_code == 204
        assert_problem(await _refresh(api, pair["refresh_token"]), 401, "invalid_refresh_token")
        again = await api.client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
        assert again.status_code == 204

    async def test_refresh_mints_roles_from_current_memberships(self, make_api) -> None:
        api: Api = await make_api(["user"])
        pair = await api.register("ann@example.com")
        body = {"name": "Ann's", "slug": "anns", "timezone": "Europe/Berlin", "currency": "EUR"}
        assert (
            await api.client.post("/api/v1/tenants", json=body, headers=api.bearer(pair))
        ).status_code == 201
        patch = {"name": "Ann's Studio"}
        assert_problem(
            await api.client.patch("/api/v1/tenants/anns", json=patch, headers=api.bearer(pair)),
            403,
            "forbidden",
        )

        fresh = (await _refresh(api, pair["refresh_token"])).json()
        assert fresh["user"]["tenants"] == [{"tenant": "anns", "role": "owner"}]
        updated = await api.client.patch("/api/v1/tenants/anns", json=patch, headers=api.bearer(fresh))
        assert updated.status_code == 200 and updated.json()["name"] == "Ann's Studio"


class TestPasswordReset:
    async def test_a_reset_link_sets_a_new_password_and_signs_out_everywhere(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        for email in ("ann@example.com", "nobody@example.com"):
            asked = await api.client.post("/api/v1/auth/password-reset/request", json={"email": email})
            assert asked.status_code == 202
            assert asked.json()["status"] == "accepted"
        token = link_token(await mail_to(api, "ann@example.com", "Reset your password"))
        assert mails_to(api, "nobody@example.com") == []

        weak = {"token": token, "password": "short"}
        assert_problem(
            await api.client.post("/api/v1/auth/password-reset/confirm", json=weak), 422, "weak_password"
        )
        new = {"token": token, "password": "a brand new passphrase"}
        assert (await api.client.post("/api/v1/auth/password-reset/confirm", json=new)).status_code == 204
        assert_problem(
            await api.client.post("/api/v1/auth/password-reset/confirm", json=new), 400, "invalid_link"
        )

        assert_problem(await _refresh(api, pair["refresh_token"]), 401, "invalid_refresh_token")
        old = {"email": "ann@example.com", "password": PASSWORD}
        assert_problem(await api.client.post("/api/v1/auth/login", json=old), 401, "invalid_credentials")
        login = await api.client.post(
            "/api/v1/auth/login", json={"email": "ann@example.com", "password": "a brand new passphrase"}
        )
        assert login.status_code == 200 and login.json()["user"]["email_verified"] is True

    async def test_an_expired_link_is_refused(self, make_api) -> None:
        from datetime import timedelta

        from reservo.platform.clock import ManualClock

        clock = ManualClock()
        api: Api = await make_api(["user", "notification"], clock=clock)
        await api.register("ann@example.com")
        await api.client.post("/api/v1/auth/password-reset/request", json={"email": "ann@example.com"})
        token = link_token(await mail_to(api, "ann@example.com", "Reset your password"))
        clock.advance(timedelta(minutes=61))
        body = {"token": token, "password": "a brand new passphrase"}
        assert_problem(
            await api.client.post("/api/v1/auth/password-reset/confirm", json=body), 400, "invalid_link"
        )


class TestCredentialsAreNeverReplayed:
    async def test_an_idempotency_key_cannot_replay_a_refresh(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        headers = {"Idempotency-Key": "same-key"}
        body = {"refresh_token": pair["refresh_token"]}
        first = await api.client.post("/api/v1/auth/refresh", json=body, headers=headers)
        assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
        second = await api.client.post("/api/v1/auth/refresh", json=body, headers=headers)
        assert_problem(second, 401, "invalid_refresh_token")  # reuse detected, not a stored copy of the pair
        assert_problem(await _refresh(api, first.json()["refresh_token"]), 401, "invalid_refresh_token")


class TestMoreLimits:
    async def test_registrations_from_one_ip_are_limited(self, api: Api) -> None:
        limit = api.runtime.contexts["user"].settings_of(UserSettings).auth_ip_limit
        for i in range(limit):
            await api.register(f"user{i}@example.com")
        body = {"email": "one-too-many@example.com", "password": PASSWORD, "name": "X"}
        assert_problem(await api.client.post("/api/v1/auth/register", json=body), 429, "rate_limited")

    async def test_a_new_verification_link_can_be_requested(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        again = await api.client.post("/api/v1/auth/verify-email/request", headers=api.bearer(pair))
        assert again.status_code == 202
        await api.settle()
        from tests.support.polling import eventually

        await eventually(lambda: len(mails_to(api, "ann@example.com")) == 2)
        token = link_token(mails_to(api, "ann@example.com")[-1])
        assert (await api.client.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 200


class TestHousekeeping:
    async def test_long_expired_credentials_are_purged_and_live_ones_kept(self, make_api) -> None:
        from datetime import timedelta

        from sqlalchemy import func, select

        from reservo.platform.clock import ManualClock
        from reservo.services.user.jobs import purge_expired
        from reservo.services.user.models import OneTimeToken, RefreshToken

        clock = ManualClock()
        api: Api = await make_api(["user"], clock=clock, workers=False)
        await api.register("old@example.com")
        clock.advance(timedelta(days=40))
        fresh = await api.register("new@example.com")
        ctx = api.runtime.contexts["user"]

        assert await purge_expired(ctx) == 2  # old's refresh token and verification link
        async with ctx.uow.read() as session:
            assert await session.scalar(select(func.count()).select_from(RefreshToken)) == 1
            assert await session.scalar(select(func.count()).select_from(OneTimeToken)) == 1
        assert (await _refresh(api, fresh["refresh_token"])).status_code == 200
