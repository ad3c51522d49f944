"""Idempotency-Key on creating POSTs."""

from __future__ import annotations

from tests.conftest import Api


class TestIdempotencyKey:
    async def test_same_key_and_body_replays_the_first_booking(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product", capacity=5)
        first = await api.book(offering["id"], quantity=2, **{"Idempotency-Key": "k1"})
        again = await api.book(offering["id"], quantity=2, **{"Idempotency-Key": "k1"})
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json()["id"] == first.json()["id"]
        assert again.headers["idempotent-replayed"] == "true"
        # Only one hold was taken: 3 of 5 remain, so 3 more succeed and the next is sold out.
        assert (await api.book(offering["id"], quantity=3)).status_code == 201
        assert (await api.book(offering["id"], quantity=1)).json()["code"] == "sold_out"

    async def test_same_key_with_another_body_is_a_422(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product")
        await api.book(offering["id"], quantity=1, **{"Idempotency-Key": "k2"})
        response = await api.book(offering["id"], quantity=2, **{"Idempotency-Key": "k2"})
        assert response.status_code == 422
        assert response.json()["code"] == "idempotency_key_reused"

    async def test_a_sold_out_answer_is_not_stored_so_a_retry_can_succeed(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product", capacity=1)
        await api.book(offering["id"])
        assert (await api.book(offering["id"], **{"Idempotency-Key": "k3"})).status_code == 409
        response = await api.book(offering["id"], **{"Idempotency-Key": "k3"})
        assert response.status_code == 409
        assert "idempotent-replayed" not in response.headers
