"""Issue 9 items 6 and 9: revocation reaches every service at once; spent reset links stay spent."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.services.user.mail import link_token, mail_to, mails_to
from tests.support.problems import assert_problem

PASSWORD = "correct horse battery"
TENANT = {"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"}


async def _reset_tokens(api: Api, email: str, n: int) -> list[str]:
    for _ in range(n):
        asked = await api.client.post("/api/v1/auth/password-reset/request", json={"email": email})
        assert asked.status_code == 202
    await mail_to(api, email, "Reset your password")
    await api.settle()
    tokens = [link_token(m) for m in mails_to(api, email) if "Reset" in m["Subject"]]
    assert len(set(tokens)) == n
    return tokens


async def _try_create_tenant(api: Api, pair: dict[str, Any], slug: str) -> Any:
    body = {**TENANT, "slug": slug}
    return await api.client.post("/api/v1/tenants", json=body, headers=api.bearer(pair))


class TestResetLinks:
    async def test_a_successful_reset_kills_every_other_reset_link(self, api: Api) -> None:
        await api.register("ann@example.com")
        first, second = await _reset_tokens(api, "ann@example.com", 2)
        confirm = "/api/v1/auth/password-reset/confirm"
        body = {"token": second, "password": "a brand new passphrase"}
        assert (await api.client.post(confirm, json=body)).status_code == 204
        stale = {"token": first, "password": "yet another passphrase"}
        assert_problem(await api.client.post(confirm, json=stale), 400, "invalid_link")

    async def test_a_password_change_kills_reset_links_and_other_sign_ins(self, api: Api) -> None:
        here = await api.register("ann@example.com")
        login = {"email": "ann@example.com", "password": PASSWORD}
        elsewhere = (await api.client.post("/api/v1/auth/login", json=login)).json()
        (link,) = await _reset_tokens(api, "ann@example.com", 1)
        change = {"current_password": PASSWORD, "new_password": "a brand new passphrase"}
        wrong = {**change, "current_password": "not the password"}
        me = "/api/v1/users/me/password"
        assert_problem(
            await api.client.post(me, json=wrong, headers=api.bearer(here)), 401, "invalid_credentials"
        )
        assert (await api.client.post(me, json=change, headers=api.bearer(here))).status_code == 204
        reset = {"token": link, "password": "the attacker's passphrase"}
        assert_problem(
            await api.client.post("/api/v1/auth/password-reset/confirm", json=reset), 400, "invalid_link"
        )
        assert_problem(await _try_create_tenant(api, elsewhere, "other"), 401, "session_revoked")
        assert (await _try_create_tenant(api, here, "mine")).status_code == 201


class TestRevocationTakesSeconds:
    async def test_after_logout_the_access_token_changes_nothing(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        assert (
            await api.client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
        ).status_code == 204
        assert_problem(await _try_create_tenant(api, pair, "acme"), 401, "session_revoked")

    async def test_after_a_password_reset_old_access_tokens_change_nothing(self, api: Api) -> None:
        pair = await api.register("ann@example.com")
        (link,) = await _reset_tokens(api, "ann@example.com", 1)
        body = {"token": link, "password": "a brand new passphrase"}
        assert (await api.client.post("/api/v1/auth/password-reset/confirm", json=body)).status_code == 204
        assert_problem(await _try_create_tenant(api, pair, "acme"), 401, "session_revoked")
        login = {"email": "ann@example.com", "password": "a brand new passphrase"}
        fresh = (await api.client.post("/api/v1/auth/login", json=login)).json()
        assert (await _try_create_tenant(api, fresh, "acme")).status_code == 201

    async def test_a_removed_staff_member_cannot_confirm_a_booking(self, api: Api) -> None:
        owner = await api.register("owner@acme.example")
        owner = (await _try_create_tenant(api, owner, "acme")).json()  # carries the owner role
        offering = await api.offering("acme", kind="product", capacity=5)
        await api.client.post(
            "/api/v1/tenants/acme/invitations", json={"email": "sam@example.com"}, headers=api.bearer(owner)
        )
        token = link_token(await mail_to(api, "sam@example.com", "Join Acme"))
        sam = await api.register("sam@example.com")
        accept = "/api/v1/tenants/acme/invitations/accept"
        assert (
            await api.client.post(accept, json={"token": token}, headers=api.bearer(sam))
        ).status_code == 200
        refresh = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": sam["refresh_token"]})
        sam = refresh.json()
        first, second = [(await api.book(offering["id"])).json()["id"] for _ in range(2)]
        bookings = "/api/v1/tenants/acme/bookings"
        assert (
            await api.client.post(f"{bookings}/{first}/confirm", headers=api.bearer(sam))
        ).status_code == 200

        removed = await api.client.delete(
            f"/api/v1/tenants/acme/members/{sam['user']['id']}", headers=api.bearer(owner)
        )
        assert removed.status_code == 204
        assert_problem(
            await api.client.post(f"{bookings}/{second}/confirm", headers=api.bearer(sam)), 403, "forbidden"
        )
        assert_problem(
            await api.client.post(f"{bookings}/{second}/cancel", headers=api.bearer(sam)),
            404,
            "booking_not_found",
        )
        assert_problem(await api.client.get(bookings, headers=api.bearer(sam)), 403, "forbidden")

    async def test_a_request_refused_for_a_revoked_session_can_be_retried_with_its_key(
        self, api: Api
    ) -> None:
        pair = await api.register("ann@example.com")
        await api.client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
        key = {"Idempotency-Key": "tenant-1"}
        refused = await api.client.post("/api/v1/tenants", json=TENANT, headers={**api.bearer(pair), **key})
        assert_problem(refused, 401, "session_revoked")
        login = {"email": "ann@example.com", "password": PASSWORD}
        again = (await api.client.post("/api/v1/auth/login", json=login)).json()
        retried = await api.client.post("/api/v1/tenants", json=TENANT, headers={**api.bearer(again), **key})
        assert retried.status_code == 201, retried.text  # the 401 was not stored as the key's answer
