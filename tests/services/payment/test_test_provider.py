"""The embedded test provider: book -> pay with Stripe's test cards -> confirmed, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from reservo.platform.clock import ManualClock
from reservo.services.booking.lifecycle import expire_holds
from tests.conftest import Api
from tests.services.payment.flows import booked, booking_status, confirm, guest, pay, refund


class TestPayWithTestCard:
    async def test_visa_test_card_pays_and_confirms_the_booking(self, api: Api) -> None:
        booking = await booked(api)
        created = await pay(api, booking)  # at once: payment has not seen booking.created yet
        assert created.status_code == 201, created.text
        payment = created.json()
        assert (payment["status"], payment["amount"], payment["provider"]) == (
            "requires_payment_method",
            {"amount": 2500, "currency": "EUR"},
            "test",
        )
        paid = await confirm(api, payment, booking, "4242424242424242")
        assert paid.json()["status"] == "succeeded", paid.text
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"

    async def test_paying_again_while_open_returns_the_same_payment_with_200(self, api: Api) -> None:
        booking = await booked(api)
        first = await pay(api, booking)
        again = await pay(api, booking)
        assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
        # no provider script values for the test provider, and only PayPal payments are captured
        assert {k: first.json()[k] for k in ("publishable_key", "client_id", "order_id")} == dict.fromkeys(
            ("publishable_key", "client_id", "order_id")
        )
        capture = await api.client.post(
            f"/api/v1/payments/{first.json()['id']}/capture", headers=guest(booking)
        )
        assert (capture.status_code, capture.json()["code"]) == (409, "not_paypal")

    async def test_declined_card_fails_and_booking_stays_pending(self, api: Api) -> None:
        booking = await booked(api)
        payment = (await pay(api, booking)).json()
        declined = await confirm(api, payment, booking, "4000000000000002")
        assert (declined.json()["status"], declined.json()["failure_code"]) == ("failed", "card_declined")
        await api.settle()
        assert await booking_status(api, booking) == "pending"
        retry = await pay(api, booking)  # the customer tries another card: a new payment
        assert retry.status_code == 201 and retry.json()["id"] != payment["id"]
        assert (await confirm(api, retry.json(), booking, "4242424242424242")).json()["status"] == "succeeded"

    async def test_authentication_required_then_approved_confirms(self, api: Api) -> None:
        booking = await booked(api)
        payment = (await pay(api, booking)).json()
        pending = (await confirm(api, payment, booking, "4000002500003155")).json()
        assert pending["status"] == "requires_action"
        url = pending["next_action"]["url"]
        page = await api.client.get(url)
        assert page.status_code == 200 and "Approve" in page.text
        token = url.split("token=")[1]
        done = await api.client.post(
            url.split("?")[0],
            content=f"token={token}&decision=approve",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert done.json()["status"] == "succeeded", done.text
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"

    async def test_authentication_refused_fails_the_payment(self, api: Api) -> None:
        booking = await booked(api)
        payment = (await pay(api, booking)).json()
        url = (await confirm(api, payment, booking, "4000002500003155")).json()["next_action"]["url"]
        token = url.split("token=")[1]
        forged = await api.client.post(
            url.split("?")[0],
            content="token=forged&decision=approve",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert forged.status_code == 401
        done = await api.client.post(
            url.split("?")[0],
            content=f"token={token}&decision=refuse",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert (done.json()["status"], done.json()["failure_code"]) == (
            "failed",
            "payment_intent_authentication_failure",
        )
        await api.settle()
        assert await booking_status(api, booking) == "pending"


class TestRefunds:
    async def _paid(self, api: Api) -> tuple[dict, dict]:  # type: ignore[type-arg]
        booking = await booked(api)
        payment = (await pay(api, booking)).json()
        await confirm(api, payment, booking, "4242424242424242")
        await api.settle()
        return booking, payment

    async def test_partial_then_rest_refunds_and_full_refund_cancels_the_booking(self, api: Api) -> None:
        booking, payment = await self._paid(api)
        part = await refund(api, payment["id"], 1000)
        assert part.status_code == 201, part.text
        assert (part.json()["amount"], part.json()["status"]) == (
            {"amount": 1000, "currency": "EUR"},
            "succeeded",
        )
        await api.settle()
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert seen["status"] == "partially_refunded"
        assert await booking_status(api, booking) == "confirmed"
        too_much = await refund(api, payment["id"], 2000)
        assert (too_much.status_code, too_much.json()["code"]) == (422, "refund_exceeds_captured")
        rest = await refund(api, payment["id"])
        assert rest.json()["amount"]["amount"] == 1500
        await api.settle()
        assert await booking_status(api, booking) == "cancelled"

    async def test_same_idempotency_key_refunds_once(self, api: Api) -> None:
        _, payment = await self._paid(api)
        first = await refund(api, payment["id"], 500, **{"Idempotency-Key": "r-1"})
        again = await refund(api, payment["id"], 500, **{"Idempotency-Key": "r-1"})
        assert first.json()["id"] == again.json()["id"]
        listed = await api.client.get(f"/api/v1/payments/{payment['id']}", headers=api.owner("acme"))
        assert listed.json()["refunded"] == {"amount": 500, "currency": "EUR"}

    async def test_customer_cancelling_a_paid_booking_is_refunded(self, api: Api) -> None:
        booking, payment = await self._paid(api)
        cancelled = await api.client.post(
            f"/api/v1/tenants/acme/bookings/{booking['id']}/cancel", headers=guest(booking)
        )
        assert cancelled.json()["refund"] == {"amount": 2500, "currency": "EUR"}, cancelled.text
        await api.settle()
        api.runtime.contexts["payment"].wake("refunds")
        from tests.conftest import eventually

        async def refunded() -> bool:
            r = await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))
            return bool(r.json()["status"] == "refunded")

        await eventually(refunded)

    async def test_bad_refunds_are_problems(self, api: Api) -> None:
        booking = await booked(api)
        payment = (await pay(api, booking)).json()
        await confirm(api, payment, booking, "4000000000000002")
        failed = await refund(api, payment["id"])
        assert (failed.status_code, failed.json()["code"]) == (409, "not_refundable")
        by_guest = await api.client.post(
            f"/api/v1/payments/{payment['id']}/refunds", json={"reason": "x"}, headers=guest(booking)
        )
        assert by_guest.status_code == 403
        await api.tenant("other")
        foreign = await api.client.post(
            f"/api/v1/payments/{payment['id']}/refunds", json={"reason": "x"}, headers=api.owner("other")
        )
        assert foreign.status_code == 404


class TestPaidBookingAndExpiry:
    async def test_paid_booking_paid_again_is_409(self, api: Api) -> None:
        booking = await booked(api)
        payment = (await pay(api, booking)).json()
        await confirm(api, payment, booking, "4242424242424242")
        await api.settle()
        again = await pay(api, booking)
        assert (again.status_code, again.json()["code"]) == (409, "already_paid")

    async def test_payment_after_hold_expiry_reclaims_capacity_left(
        self, api: Api, clock: ManualClock
    ) -> None:
        booking = await booked(api, capacity=2)
        payment = (await pay(api, booking)).json()
        clock.advance(timedelta(minutes=30))
        assert await expire_holds(api.runtime.contexts["booking"]) == 1
        await api.settle()
        await confirm(api, payment, booking, "4242424242424242")
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"

    async def test_payment_after_hold_expiry_when_sold_out_is_refunded(
        self, api: Api, clock: ManualClock
    ) -> None:
        booking = await booked(api, capacity=1)
        payment = (await pay(api, booking)).json()
        clock.advance(timedelta(minutes=30))
        await expire_holds(api.runtime.contexts["booking"])
        await api.settle()
        taker = await api.book(
            booking["offering"]["id"],
            start=booking["offering"]["sessions"][0]["start"],
            customer={"name": "Bo", "email": "bo@example.com"},
        )
        assert taker.status_code == 201
        await confirm(api, payment, booking, "4242424242424242")
        await api.settle()
        assert await booking_status(api, booking) == "expired"
        from tests.conftest import eventually

        async def refunded() -> bool:
            r = await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))
            return bool(r.json()["status"] == "refunded")

        await eventually(refunded)

    async def test_other_people_cannot_pay_or_see_the_payment(self, api: Api) -> None:
        booking = await booked(api)
        stranger = await api.client.post(
            "/api/v1/payments", json={"booking_id": booking["id"]}, headers={"X-Booking-Token": "forged"}
        )
        assert stranger.status_code == 404
        payment = (await pay(api, booking)).json()
        peek = await api.client.get(
            f"/api/v1/payments/{payment['id']}", headers=api.dev_token("eve@example.com")
        )
        assert peek.status_code == 404
        bad = await api.client.post(
            f"/api/v1/payments/{payment['id']}/confirm", json={"card_number": "42"}, headers=guest(booking)
        )
        assert bad.status_code == 422


class TestConcurrentPay:
    async def test_two_pay_clicks_at_once_share_one_payment(self, api: Api) -> None:
        import asyncio

        booking = await booked(api)
        await api.settle()
        first, second = await asyncio.gather(pay(api, booking), pay(api, booking))
        assert sorted([first.status_code, second.status_code]) == [200, 201], (first.text, second.text)
        assert first.json()["id"] == second.json()["id"]


class TestStaffViews:
    async def test_staff_list_payments_page_by_page_and_see_the_trail(self, api: Api) -> None:
        for _ in range(3):
            await pay(api, await booked(api))
        owner = api.owner("acme")
        first = await api.client.get("/api/v1/tenants/acme/payments?limit=2", headers=owner)
        assert len(first.json()["items"]) == 2 and first.json()["next_cursor"]
        rest = await api.client.get(
            f"/api/v1/tenants/acme/payments?limit=2&cursor={first.json()['next_cursor']}", headers=owner
        )
        assert len(rest.json()["items"]) == 1 and rest.json()["next_cursor"] is None
        bad = await api.client.get("/api/v1/tenants/acme/payments?cursor=WyJ4IiwieSJd", headers=owner)
        assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
        as_customer = await api.client.get(
            "/api/v1/tenants/acme/payments", headers=api.dev_token("ann@example.com")
        )
        assert as_customer.status_code == 403
        payment_id = first.json()["items"][0]["id"]
        trail = await api.client.get(f"/api/v1/payments/{payment_id}/events", headers=owner)
        assert [e["kind"] for e in trail.json()] == ["create_intent"]
