"""The booking state machine, guest tokens and who may change what."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from reservo.services.booking.lifecycle import expire_holds
from tests.conftest import Api
from tests.services.booking.factories import create_offering, event, product
from tests.support.problems import assert_problem

STAFF = "staff@acme.example"


async def _booking(api: Api, offering: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    offering = offering or await create_offering(api, event(capacity=5, cancellation_free_hours=48))
    start = offering["sessions"][0]["start"] if offering["kind"] == "event" else None
    response = await api.book(offering["id"], start=start, **kwargs)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _url(booking: dict[str, Any], action: str = "") -> str:
    return f"/api/v1/tenants/acme/bookings/{booking['id']}" + (f"/{action}" if action else "")


def _staff(api: Api) -> dict[str, str]:
    return api.dev_token(STAFF, "staff@acme")


async def _outbox_types(api: Api) -> list[str]:
    from sqlalchemy import select

    from reservo.platform.events.tables import add_event_tables
    from reservo.services.booking.models import Base

    outbox = add_event_tables(Base.metadata).outbox
    async with api.runtime.uow("booking").read() as session:
        return list(await session.scalars(select(outbox.c.type).order_by(outbox.c.position)))


async def _outbox_data(api: Api, event_type: str) -> dict[str, Any]:
    from sqlalchemy import select

    from reservo.platform.events.tables import add_event_tables
    from reservo.services.booking.models import Base

    outbox = add_event_tables(Base.metadata).outbox
    async with api.runtime.uow("booking").read() as session:
        envelope = await session.scalar(select(outbox.c.envelope).where(outbox.c.type == event_type))
    assert envelope is not None, f"no {event_type} in booking's outbox"
    return dict(envelope["data"])


class TestStateMachine:
    async def test_pending_confirmed_completed(self, api: Api) -> None:
        booking = await _booking(api)
        confirmed = await api.client.post(_url(booking, "confirm"), headers=_staff(api))
        assert confirmed.status_code == 200, confirmed.text
        assert (confirmed.json()["status"], confirmed.json()["version"]) == ("confirmed", 2)
        done = await api.client.post(_url(booking, "complete"), headers=_staff(api))
        assert done.json()["status"] == "completed"
        assert await _outbox_types(api) == ["booking.created", "booking.confirmed", "booking.completed"]

    async def test_confirmed_no_show(self, api: Api) -> None:
        booking = await _booking(api)
        await api.client.post(_url(booking, "confirm"), headers=_staff(api))
        response = await api.client.post(_url(booking, "no-show"), headers=_staff(api))
        assert response.json()["status"] == "no_show"

    @pytest.mark.parametrize(
        ("steps", "action"),
        [
            ([], "complete"),
            ([], "no-show"),
            (["confirm"], "confirm"),
            (["confirm", "complete"], "cancel"),
            (["cancel"], "confirm"),
        ],
    )
    async def test_illegal_transitions_are_409(self, api: Api, steps: list[str], action: str) -> None:
        booking = await _booking(api)
        for step in steps:
            assert (await api.client.post(_url(booking, step), headers=_staff(api))).status_code == 200
        assert_problem(
            await api.client.post(_url(booking, action), headers=_staff(api)), 409, "illegal_transition"
        )

    async def test_cancelling_twice_is_409_already_cancelled(self, api: Api) -> None:
        booking = await _booking(api)
        token = {"X-Booking-Token": booking["access_token"]}
        assert (await api.client.post(_url(booking, "cancel"), headers=token)).status_code == 200
        assert_problem(
            await api.client.post(_url(booking, "cancel"), headers=token), 409, "already_cancelled"
        )

    async def test_an_expired_hold_cannot_be_confirmed(self, api: Api) -> None:
        booking = await _booking(api)
        api.runtime.clock.advance(__import__("datetime").timedelta(minutes=20))  # type: ignore[attr-defined]
        assert await expire_holds(api.runtime.contexts["booking"]) == 1
        assert_problem(
            await api.client.post(_url(booking, "confirm"), headers=_staff(api)), 409, "illegal_transition"
        )
        assert (await _outbox_data(api, "booking.expired"))["id"] == booking["id"]

    async def test_a_stale_version_is_409_version_conflict(self, api: Api) -> None:
        booking = await _booking(api)
        await api.client.post(_url(booking, "confirm"), headers=_staff(api), json={"version": 1})
        response = await api.client.post(_url(booking, "complete"), headers=_staff(api), json={"version": 1})
        assert_problem(response, 409, "version_conflict")

    async def test_concurrent_cancellations_release_the_seat_once(self, api: Api) -> None:
        offering = await create_offering(api, event(capacity=3))
        booking = await _booking(api, offering, quantity=2)
        token = {"X-Booking-Token": booking["access_token"]}

        responses = await asyncio.gather(
            *(api.client.post(_url(booking, "cancel"), headers=token) for _ in range(5)),
            *(api.client.post(_url(booking, "cancel"), headers=_staff(api)) for _ in range(5)),
        )

        outcomes = sorted((r.status_code, r.json().get("code")) for r in responses)
        assert outcomes[0] == (200, None) and all(o[0] == 409 for o in outcomes[1:]), outcomes
        assert {o[1] for o in outcomes[1:]} <= {"already_cancelled", "version_conflict"}
        assert (await _outbox_types(api)).count("booking.cancelled") == 1
        # Exactly the 2 seats came back: 3 are free, not 5 (or a CHECK violation).
        start = offering["sessions"][0]["start"]
        assert (await api.book(offering["id"], quantity=3, start=start)).status_code == 201
        assert (await api.book(offering["id"], start=start)).json()["code"] == "sold_out"

    async def test_confirm_racing_cancel_leaves_one_consistent_outcome(self, api: Api) -> None:
        booking = await _booking(api)
        token = {"X-Booking-Token": booking["access_token"]}
        confirm, cancel = await asyncio.gather(
            api.client.post(_url(booking, "confirm"), headers=_staff(api)),
            api.client.post(_url(booking, "cancel"), headers=token),
        )
        final = (await api.client.get(_url(booking), headers=_staff(api))).json()
        if cancel.status_code == 200:
            assert final["status"] == "cancelled"
        else:  # the cancel lost the race: confirm won and the booking stays confirmed
            assert cancel.status_code == 409 and final["status"] == "confirmed"
        assert confirm.status_code in (200, 409)
        assert final["version"] == 1 + [confirm.status_code, cancel.status_code].count(200)

    async def test_staff_only_confirm(self, api: Api) -> None:
        booking = await _booking(api)
        token = {"X-Booking-Token": booking["access_token"]}
        assert (await api.client.post(_url(booking, "confirm"), headers=token)).status_code == 401
        customer = api.dev_token("ann@example.com")
        assert (await api.client.post(_url(booking, "confirm"), headers=customer)).status_code == 403


class TestCancellation:
    async def test_cancelling_a_pending_hold_frees_the_seat_and_refunds_nothing(self, api: Api) -> None:
        offering = await create_offering(api, event(capacity=1))
        booking = await _booking(api, offering)
        token = {"X-Booking-Token": booking["access_token"]}
        response = await api.client.post(_url(booking, "cancel"), headers=token)
        assert (response.json()["status"], response.json()["refund"]) == ("cancelled", None)
        assert (await _booking(api, offering))["status"] == "pending"
        data = await _outbox_data(api, "booking.cancelled")
        assert (data["refund"], data["cancelled_by"]) == (None, "customer")

    async def test_a_confirmed_booking_cancelled_in_time_is_refunded_in_full(self, api: Api) -> None:
        booking = await _booking(api)  # the session is 7 days ahead, free cancellation until 48 h before
        await api.client.post(_url(booking, "confirm"), headers=_staff(api))
        response = await api.client.post(
            _url(booking, "cancel"), headers={"X-Booking-Token": booking["access_token"]}
        )
        assert response.json()["refund"] == booking["total"]
        assert (await _outbox_data(api, "booking.cancelled"))["refund"] == booking["total"]

    async def test_a_late_customer_cancellation_refunds_nothing_but_staff_refund_in_full(
        self, api: Api
    ) -> None:
        from datetime import timedelta

        offering = await create_offering(api, event(capacity=5, cancellation_free_hours=48))
        late, by_staff = await _booking(api, offering), await _booking(api, offering)
        for b in (late, by_staff):
            await api.client.post(_url(b, "confirm"), headers=_staff(api))
        api.runtime.clock.advance(timedelta(days=6))  # type: ignore[attr-defined]
        response = await api.client.post(
            _url(late, "cancel"), headers={"X-Booking-Token": late["access_token"]}
        )
        assert (response.json()["status"], response.json()["refund"]) == ("cancelled", None)
        response = await api.client.post(_url(by_staff, "cancel"), headers=_staff(api))
        assert response.json()["refund"] == by_staff["total"]

    async def test_the_signed_in_owner_cancels_their_own_booking(self, api: Api) -> None:
        bob = api.dev_token("bob@example.com")
        booking = await _booking(api, headers=bob)
        other = api.dev_token("eve@example.com")
        assert_problem(
            await api.client.post(_url(booking, "cancel"), headers=other), 404, "booking_not_found"
        )
        assert (await api.client.post(_url(booking, "cancel"), headers=bob)).json()["status"] == "cancelled"


class TestGuestToken:
    async def test_the_token_shows_its_booking_by_header_only(self, api: Api) -> None:
        booking = await _booking(api)
        by_header = await api.client.get(_url(booking), headers={"X-Booking-Token": booking["access_token"]})
        by_query = await api.client.get(_url(booking), params={"token": booking["access_token"]})
        assert (by_header.status_code, by_query.status_code) == (200, 404)  # a query lands in access logs
        assert by_header.json()["access_token"] is None  # shown once, at creation

    async def test_the_token_opens_no_other_booking(self, api: Api) -> None:
        mine, theirs = await _booking(api), await _booking(api)
        token = {"X-Booking-Token": mine["access_token"]}
        assert_problem(await api.client.get(_url(theirs), headers=token), 404, "booking_not_found")
        assert_problem(await api.client.post(_url(theirs, "cancel"), headers=token), 404, "booking_not_found")
        assert_problem(await api.client.get(_url(theirs)), 404, "booking_not_found")
        assert_problem(
            await api.client.get(_url(theirs), headers={"X-Booking-Token": "guess"}), 404, "booking_not_found"
        )

    async def test_staff_of_another_tenant_cannot_see_it(self, api: Api) -> None:
        booking = await _booking(api, await create_offering(api, product()))
        await api.tenant("other")
        outsider = api.dev_token("staff@other.example", "staff@other")
        assert_problem(await api.client.get(_url(booking), headers=outsider), 404, "booking_not_found")
        assert (await api.client.get(_url(booking), headers=_staff(api))).status_code == 200
