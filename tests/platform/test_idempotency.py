"""Idempotency-Key on creating POSTs."""

from __future__ import annotations

import httpx

from tests.conftest import Api


class TestIdempotencyKey:
    async def test_same_key_and_body_replays_the_first_booking(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product", capacity=5)
        first = await api.book(offering["id"], quantity=2, headers={"Idempotency-Key": "k1"})
        again = await api.book(offering["id"], quantity=2, headers={"Idempotency-Key": "k1"})
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json()["id"] == first.json()["id"]
        assert again.headers["idempotent-replayed"] == "true"
        # Only one hold was taken: 3 of 5 remain, so 3 more succeed and the next is sold out.
        assert (await api.book(offering["id"], quantity=3)).status_code == 201
        assert (await api.book(offering["id"], quantity=1)).json()["code"] == "sold_out"

    async def test_same_key_with_another_body_is_a_422(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product")
        await api.book(offering["id"], quantity=1, headers={"Idempotency-Key": "k2"})
        response = await api.book(offering["id"], quantity=2, headers={"Idempotency-Key": "k2"})
        assert response.status_code == 422
        assert response.json()["code"] == "idempotency_key_reused"

    async def test_a_sold_out_answer_is_not_stored_so_a_retry_can_succeed(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product", capacity=1)
        await api.book(offering["id"])
        assert (await api.book(offering["id"], headers={"Idempotency-Key": "k3"})).status_code == 409
        response = await api.book(offering["id"], headers={"Idempotency-Key": "k3"})
        assert response.status_code == 409
        assert "idempotent-replayed" not in response.headers


def _client_at(api: Api, address: str) -> httpx.AsyncClient:
    """Another client of the same app, connecting from `address`."""
    app = api.client._transport.app  # type: ignore[attr-defined]
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://reservo.test")


class TestKeysAreScopedToThePrincipal:
    """Issue 9 item 4: a key belongs to who sent it (the user, or an anonymous client's address)."""

    async def test_two_guests_with_the_same_key_and_body_get_their_own_bookings(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product", capacity=5)
        body = {
            "offering_id": offering["id"],
            "quantity": 1,
            "customer": {"name": "A", "email": "a@example.com"},
        }
        key = {"Idempotency-Key": "shared"}
        first = await _client_at(api, "10.0.0.1").post(
            "/api/v1/tenants/acme/bookings", json=body, headers=key
        )
        second = await _client_at(api, "10.0.0.2").post(
            "/api/v1/tenants/acme/bookings", json=body, headers=key
        )
        assert (first.status_code, second.status_code) == (201, 201)
        assert first.json()["id"] != second.json()["id"]
        assert "idempotent-replayed" not in second.headers
        assert first.json()["access_token"] != second.json()["access_token"]

    async def test_a_replay_never_carries_the_guest_token(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product", capacity=5)
        first = await api.book(offering["id"], headers={"Idempotency-Key": "k9"})
        again = await api.book(offering["id"], headers={"Idempotency-Key": "k9"})
        assert first.json()["access_token"]
        assert again.headers["idempotent-replayed"] == "true" and again.json()["id"] == first.json()["id"]
        assert again.json()["access_token"] is None
        assert first.json()["access_token"] not in again.text

    async def test_a_retry_after_a_token_refresh_replays_instead_of_booking_twice(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product", capacity=5)
        pair = await api.register("ann@example.com")
        key = {"Idempotency-Key": "k10"}
        first = await api.book(offering["id"], headers={**key, **api.bearer(pair)})
        # A new access token of the same user (a refresh within the same second may mint the very
        # same string, which would prove nothing; a new sign-in never does).
        login = {"email": "ann@example.com", "password": "correct horse battery"}
        refreshed = await api.client.post("/api/v1/auth/login", json=login)
        assert refreshed.json()["access_token"] != pair["access_token"]
        again = await api.book(offering["id"], headers={**key, **api.bearer(refreshed.json())})
        assert again.headers["idempotent-replayed"] == "true" and again.json()["id"] == first.json()["id"]
        mine = await api.client.get("/api/v1/me/bookings", headers=api.bearer(refreshed.json()))
        assert [b["id"] for b in mine.json()["items"]] == [first.json()["id"]]
