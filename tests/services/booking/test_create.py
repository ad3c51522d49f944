"""Creating bookings: what each kind of offering needs, and the 4xx answers to bad requests."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import Api
from tests.services.booking.factories import NOW, create_offering, event, product, service
from tests.support.problems import assert_problem


async def _first_slot(api: Api, offering: dict[str, Any], day: str = "2026-06-02") -> dict[str, Any]:
    response = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{offering['id']}/availability", params={"from": day, "to": day}
    )
    assert response.status_code == 200, response.text
    slots: list[dict[str, Any]] = response.json()["slots"]
    return slots[0]


class TestCreateBooking:
    async def test_a_guest_books_a_slot_and_gets_a_hold_with_a_token(self, api: Api) -> None:
        offering = await create_offering(api, service())
        slot = await _first_slot(api, offering)
        assert slot["start"] == "2026-06-02T07:00:00Z"  # 09:00 in Berlin (CEST)

        response = await api.book(offering["id"], start=slot["start"])

        assert response.status_code == 201, response.text
        booking = response.json()
        assert booking["status"] == "pending"
        assert booking["total"] == {"amount": 3000, "currency": "EUR"}
        assert booking["expires_at"] == (NOW + timedelta(minutes=15)).isoformat().replace("+00:00", "Z")
        assert booking["start"] == slot["start"] and booking["end"] == "2026-06-02T08:00:00Z"
        assert len(booking["access_token"]) >= 40

    async def test_a_signed_in_customer_gets_no_token(self, api: Api) -> None:
        offering = await create_offering(api, product())
        response = await api.book(offering["id"], headers=api.dev_token("bob@example.com"))
        assert response.status_code == 201, response.text
        assert response.json()["access_token"] is None

    async def test_an_event_session_is_booked_by_its_start_and_priced_by_variant(self, api: Api) -> None:
        vip = {"name": "VIP", "price": {"amount": 9000, "currency": "EUR"}}
        offering = await create_offering(api, event(capacity=10, variants=[vip]))
        start = offering["sessions"][0]["start"]
        variant_id = offering["variants"][0]["id"]
        response = await api.book(offering["id"], quantity=3, start=start, variant_id=variant_id)
        assert response.status_code == 201, response.text
        assert response.json()["total"] == {"amount": 27000, "currency": "EUR"}
        availability = await api.client.get(
            f"/api/v1/tenants/acme/offerings/{offering['id']}/availability",
            params={"from": "2026-06-01", "to": "2026-06-30"},
        )
        assert [s["remaining"] for s in availability.json()["slots"]] == [7]

    async def test_a_product_takes_stock(self, api: Api) -> None:
        offering = await create_offering(api, product(stock=2))
        assert (await api.book(offering["id"], quantity=2)).status_code == 201
        assert_problem(await api.book(offering["id"]), 409, "sold_out")

    async def test_the_booking_created_event_carries_what_later_services_need(self, api: Api) -> None:
        offering = await create_offering(api, service(tax_rate_bp=1900))
        slot = await _first_slot(api, offering)
        customer = {"name": "Ann", "email": "Ann@Example.com", "phone": "+49 30 1234567"}
        booking = (await api.book(offering["id"], start=slot["start"], customer=customer)).json()
        async with api.runtime.uow("booking").read() as session:
            from sqlalchemy import select

            from reservo.platform.events.tables import add_event_tables
            from reservo.services.booking.models import Base

            outbox = add_event_tables(Base.metadata).outbox
            rows = (
                await session.execute(select(outbox.c.envelope).where(outbox.c.type == "booking.created"))
            ).all()
        data = rows[0][0]["data"]
        assert data["id"] == booking["id"] and data["offering_kind"] == "service"
        assert "access_token" not in data and booking["access_token"] not in str(data)  # no secret
        assert data["manage_url"] == f"http://localhost:8000/t/acme/bookings/{booking['id']}"
        assert data["customer"] == {"name": "Ann", "email": "ann@example.com", "phone": "+49 30 1234567"}
        assert (data["unit_price"], data["tax_rate_bp"], data["currency"]) == (
            {"amount": 3000, "currency": "EUR"},
            1900,
            "EUR",
        )
        assert data["start"] == slot["start"]


class TestBadInput:
    async def test_a_start_that_is_not_a_slot_is_slot_unavailable(self, api: Api) -> None:
        offering = await create_offering(api, service())
        assert_problem(await api.book(offering["id"], start="2026-06-02T07:30:00Z"), 422, "slot_unavailable")
        assert_problem(await api.book(offering["id"], start="2026-06-02T20:00:00Z"), 422, "slot_unavailable")

    async def test_a_past_slot_is_rejected(self, api: Api) -> None:
        offering = await create_offering(api, service())
        assert_problem(await api.book(offering["id"], start="2026-05-30T07:00:00Z"), 422, "slot_in_past")

    async def test_lead_time_and_booking_window(self, api: Api) -> None:
        offering = await create_offering(api, service(lead_time_minutes=24 * 60, booking_window_days=14))
        assert_problem(await api.book(offering["id"], start="2026-06-01T08:00:00Z"), 422, "inside_lead_time")
        assert_problem(
            await api.book(offering["id"], start="2026-06-20T07:00:00Z"), 422, "beyond_booking_window"
        )
        assert (await api.book(offering["id"], start="2026-06-02T07:00:00Z")).status_code == 201

    async def test_an_event_session_beyond_the_booking_window(self, api: Api) -> None:
        near, far = NOW + timedelta(days=7), NOW + timedelta(days=25)
        offering = await create_offering(api, event(starts=[near, far], booking_window_days=20))
        near_start, far_start = (s["start"] for s in offering["sessions"])
        assert_problem(await api.book(offering["id"], start=far_start), 422, "beyond_booking_window")
        availability = await api.client.get(
            f"/api/v1/tenants/acme/offerings/{offering['id']}/availability",
            params={"from": "2026-06-01", "to": "2026-07-01"},  # holds both sessions
        )
        assert [s["start"] for s in availability.json()["slots"]] == [near_start]
        assert (await api.book(offering["id"], start=near_start)).status_code == 201

    async def test_quantity_outside_the_offerings_bounds(self, api: Api) -> None:
        offering = await create_offering(api, event(min_quantity=2, max_quantity=4))
        start = offering["sessions"][0]["start"]
        assert_problem(await api.book(offering["id"], quantity=1, start=start), 422, "quantity_out_of_range")
        assert_problem(await api.book(offering["id"], quantity=5, start=start), 422, "quantity_out_of_range")
        assert_problem(await api.book(offering["id"], quantity=0, start=start), 422, "validation_failed")

    async def test_a_variant_of_another_offering(self, api: Api) -> None:
        xl = {"name": "XL", "price": {"amount": 1, "currency": "EUR"}}
        other = await create_offering(api, product(variants=[xl]))
        offering = await create_offering(api, product())
        assert_problem(
            await api.book(offering["id"], variant_id=other["variants"][0]["id"]), 422, "variant_not_found"
        )

    async def test_another_tenants_offering_and_an_unknown_one_are_404(self, api: Api) -> None:
        await api.tenant("other")
        theirs = await create_offering(api, product(), slug="other")
        assert_problem(await api.book(theirs["id"]), 404, "offering_not_found")
        assert_problem(await api.book(str(uuid.uuid4())), 404, "offering_not_found")

    async def test_start_missing_or_given_for_the_wrong_kind(self, api: Api) -> None:
        appointment = await create_offering(api, service())
        show = await create_offering(api, event())
        shirt = await create_offering(api, product())
        assert_problem(await api.book(appointment["id"]), 422, "start_required")
        assert_problem(await api.book(show["id"]), 422, "start_required")
        assert_problem(await api.book(shirt["id"], start="2026-06-02T07:00:00Z"), 422, "start_not_allowed")
        assert_problem(await api.book(show["id"], start="2026-06-02T07:00:00Z"), 422, "slot_unavailable")

    async def test_a_draft_offering_is_not_bookable(self, api: Api) -> None:
        offering = await create_offering(api, product(status="draft"))
        assert_problem(await api.book(offering["id"]), 409, "offering_not_bookable")

    @pytest.mark.parametrize(
        ("params", "code"),
        [
            ({"from": "2026-06-01", "to": "2026-09-01"}, "invalid_range"),
            ({"from": "2026-06-05", "to": "2026-06-01"}, "invalid_range"),
            ({"from": "2026-06-01T00:00:00", "to": "2026-06-02"}, "invalid_range"),
            ({"from": "yesterday", "to": "2026-06-02"}, "invalid_range"),
            ({"from": "2026-06-01"}, "validation_failed"),
        ],
    )
    async def test_availability_range_must_be_bounded(
        self, api: Api, params: dict[str, str], code: str
    ) -> None:
        offering = await create_offering(api, service())
        response = await api.client.get(
            f"/api/v1/tenants/acme/offerings/{offering['id']}/availability", params=params
        )
        assert_problem(response, 422, code)
