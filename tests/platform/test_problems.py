"""Bad input always gets an RFC 9457 problem with a stable code, never a 500."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import Api
from tests.support import offerings
from tests.support.problems import assert_problem


@pytest.fixture
async def product(api: Api) -> dict[str, object]:
    await api.tenant("acme")
    return await api.offering("acme", kind="product")


class TestBadInput:
    async def test_malformed_json_is_a_400(self, api: Api, product: dict[str, object]) -> None:
        response = await api.client.post(
            "/api/v1/tenants/acme/bookings",
            content=b'{"offering_id": ',
            headers={"content-type": "application/json"},
        )
        assert_problem(response, 400, "malformed_request")

    async def test_wrong_types_list_every_invalid_field(self, api: Api, product: dict[str, object]) -> None:
        body = {"offering_id": "not-a-uuid", "quantity": "many", "customer": {"name": "", "email": "nope"}}
        response = await api.client.post("/api/v1/tenants/acme/bookings", json=body)
        assert_problem(response, 422, "validation_failed")
        locations = {tuple(e["loc"]) for e in response.json()["errors"]}
        assert {("body", "offering_id"), ("body", "quantity"), ("body", "customer", "email")} <= locations

    async def test_unknown_fields_are_rejected(self, api: Api, product: dict[str, object]) -> None:
        response = await api.book(str(product["id"]))
        assert response.status_code == 201
        body = {
            "offering_id": product["id"],
            "quantity": 1,
            "customer": {"name": "A", "email": "a@b.co"},
            "x": 1,
        }
        assert_problem(
            await api.client.post("/api/v1/tenants/acme/bookings", json=body), 422, "validation_failed"
        )

    async def test_unknown_tenant_is_a_404(self, api: Api, product: dict[str, object]) -> None:
        assert_problem(await api.book(str(product["id"]), slug="nobody"), 404, "tenant_not_found")

    async def test_unknown_offering_is_a_404(self, api: Api, product: dict[str, object]) -> None:
        assert_problem(await api.book(str(uuid.uuid4())), 404, "offering_not_found")

    async def test_another_tenants_offering_is_not_found(self, api: Api, product: dict[str, object]) -> None:
        await api.tenant("other")
        assert_problem(await api.book(str(product["id"]), slug="other"), 404, "offering_not_found")

    @pytest.mark.parametrize("quantity", [0, -1, 101])
    async def test_quantity_out_of_range_is_a_422(
        self, api: Api, product: dict[str, object], quantity: int
    ) -> None:
        assert_problem(await api.book(str(product["id"]), quantity=quantity), 422, "validation_failed")

    async def test_a_huge_body_is_a_413(self, api: Api, product: dict[str, object]) -> None:
        huge = b'{"offering_id": "' + b"x" * 2_000_000 + b'"}'
        response = await api.client.post(
            "/api/v1/tenants/acme/bookings", content=huge, headers={"content-type": "application/json"}
        )
        assert_problem(response, 413, "payload_too_large")

    async def test_an_unknown_route_is_a_404_problem(self, api: Api) -> None:
        assert_problem(await api.client.get("/api/v1/nothing/here"), 404, "not_found")

    async def test_a_wrong_method_is_a_405_problem(self, api: Api) -> None:
        assert_problem(await api.client.delete("/api/v1/tenants"), 405, "method_not_allowed")

    async def test_creating_an_offering_needs_the_tenants_staff(
        self, api: Api, product: dict[str, object]
    ) -> None:
        body = offerings.product(1, name="X", price=offerings.price(1))
        assert_problem(
            await api.client.post("/api/v1/tenants/acme/offerings", json=body), 401, "unauthorized"
        )
        stranger = api.dev_token("eve@example.com", "owner@other")
        assert_problem(
            await api.client.post("/api/v1/tenants/acme/offerings", json=body, headers=stranger),
            403,
            "forbidden",
        )


class TestCorrelationId:
    async def test_a_given_id_is_echoed_and_a_missing_one_is_made(self, api: Api) -> None:
        given = await api.client.get("/healthz", headers={"X-Correlation-ID": "abc-123"})
        assert given.headers["x-correlation-id"] == "abc-123"
        made = await api.client.get("/healthz")
        assert uuid.UUID(made.headers["x-correlation-id"])

    async def test_events_carry_the_requests_correlation_id(self, api: Api) -> None:
        from sqlalchemy import select

        await api.tenant("acme")
        offering = await api.offering("acme", kind="product")
        body = {"offering_id": offering["id"], "quantity": 1, "customer": {"name": "A", "email": "a@b.co"}}
        await api.client.post(
            "/api/v1/tenants/acme/bookings", json=body, headers={"X-Correlation-ID": "trace-42"}
        )
        uow = api.runtime.uow("booking")
        async with uow.read() as session:
            envelopes = (await session.scalars(select(uow.tables.outbox.c.envelope))).all()
        assert [e["correlation_id"] for e in envelopes if e["type"] == "booking.created"] == ["trace-42"]
