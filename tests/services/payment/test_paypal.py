"""PayPal: Orders v2 against a local fake PayPal; webhooks signed with a test certificate."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import Api
from tests.fakes.paypal_fake import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, FakePayPal
from tests.fakes.server import serving
from tests.services.payment.flows import booked, booking_status, guest, pay, refund


@pytest.fixture
async def paypal_fake() -> AsyncIterator[FakePayPal]:
    fake = FakePayPal()
    async with serving(fake.app()) as url:
        fake.base = url
        yield fake


@pytest.fixture
def app_env(paypal_fake: FakePayPal) -> dict[str, str]:
    return {
        "RESERVO_PAYMENT_PAYPAL_API_BASE": paypal_fake.base,
        "RESERVO_PAYMENT_PAYPAL_CERT_URL_PREFIXES": json.dumps([f"{paypal_fake.base}/certs/"]),
    }


@pytest.fixture(autouse=True)
async def paypal_account(api: Api) -> None:
    """Tenant acme takes payments with PayPal (the fake); the answer never shows the client secret."""
    body = {
        "provider": "paypal",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "webhook_id": WEBHOOK_ID,
    }
    response = await api.client.put(
        "/api/v1/tenants/acme/payment-settings", json=body, headers=api.owner("acme")
    )
    assert response.status_code == 200 and CLIENT_SECRET not in response.text, response.text


async def webhook(api: Api, fake: FakePayPal, event: dict[str, Any], **kwargs: Any) -> Any:
    body, headers = fake.signed(event, **kwargs)
    return await api.client.post("/api/v1/webhooks/paypal", content=body, headers=headers)


async def _order(api: Api, fake: FakePayPal) -> tuple[dict[str, Any], dict[str, Any], str]:
    booking = await booked(api)
    created = await pay(api, booking)
    assert created.status_code == 201, created.text
    payment = created.json()
    (order_id,) = fake.orders
    assert payment["status"] == "requires_action" and payment["approval_url"].endswith(order_id)
    # What the PayPal JS SDK needs in the browser (D13-9): client-id for the script, the order for createOrder.
    assert (payment["client_id"], payment["order_id"], payment["publishable_key"]) == (
        CLIENT_ID,
        order_id,
        None,
    )
    assert fake.orders[order_id]["purchase_units"][0]["amount"] == {"currency_code": "EUR", "value": "25.00"}
    return booking, payment, order_id


class TestPayPal:
    async def test_book_approve_webhook_capture_confirmed(self, api: Api, paypal_fake: FakePayPal) -> None:
        booking, payment, order_id = await _order(api, paypal_fake)
        approved = await webhook(api, paypal_fake, paypal_fake.buyer_approves(order_id))
        assert approved.status_code == 200, approved.text
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert seen["status"] == "succeeded" and (seen["client_id"], seen["order_id"]) == (CLIENT_ID, None)
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"
        capture = paypal_fake.orders[order_id]["purchase_units"][0]["payments"]["captures"][0]
        again = await webhook(
            api, paypal_fake, paypal_fake.event("PAYMENT.CAPTURE.COMPLETED", "capture", capture)
        )
        assert again.json()["outcome"] == "no_change"
        part = await refund(api, payment["id"], 1000)
        assert (part.status_code, part.json()["status"]) == (201, "succeeded"), part.text
        assert paypal_fake.capture_by_id(capture["id"])["refunded"] == "10.00"  # type: ignore[index]

    async def test_declined_capture_fails_the_payment(self, api: Api, paypal_fake: FakePayPal) -> None:
        booking, payment, order_id = await _order(api, paypal_fake)
        paypal_fake.decline_next_capture = True
        await webhook(api, paypal_fake, paypal_fake.buyer_approves(order_id))
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert (seen["status"], seen["failure_code"]) == ("failed", "instrument_declined")
        await api.settle()
        assert await booking_status(api, booking) == "pending"

    async def test_forged_stale_and_duplicate_webhooks(self, api: Api, paypal_fake: FakePayPal) -> None:
        booking, payment, order_id = await _order(api, paypal_fake)
        event = paypal_fake.buyer_approves(order_id)
        other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = await webhook(api, paypal_fake, event, key=other_key)
        assert (forged.status_code, forged.json()["code"]) == (400, "invalid_signature")
        wrong_hook = await webhook(api, paypal_fake, event, webhook_id="WH-SOMEONE-ELSE")
        assert wrong_hook.status_code == 400
        stale = await webhook(api, paypal_fake, event, sent=datetime.now(UTC) - timedelta(hours=2))
        assert stale.status_code == 400
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert seen["status"] == "requires_action"  # nothing changed
        assert (await webhook(api, paypal_fake, event)).json()["outcome"] == "approved"
        assert (await webhook(api, paypal_fake, event)).json()["outcome"] == "duplicate"


async def test_a_paypal_dispute_opens_a_dispute_and_its_resolution_decides_it(
    api: Api, paypal_fake: FakePayPal
) -> None:
    """CUSTOMER.DISPUTE.* names the capture (disputed_transactions[].seller_transaction_id)."""
    booking, payment, order_id = await _order(api, paypal_fake)
    await webhook(api, paypal_fake, paypal_fake.buyer_approves(order_id))
    capture = paypal_fake.orders[order_id]["purchase_units"][0]["payments"]["captures"][0]
    resource: dict[str, Any] = {
        "dispute_id": "PP-D-4711",
        "create_time": datetime.now(UTC).isoformat(),
        "disputed_transactions": [
            {
                "seller_transaction_id": capture["id"],
                "gross_amount": {"currency_code": "EUR", "value": "25.00"},
            }
        ],
        "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED",
        "status": "WAITING_FOR_SELLER_RESPONSE",
        "dispute_amount": {"currency_code": "EUR", "value": "25.00"},
        "dispute_life_cycle_stage": "CHARGEBACK",
        "seller_response_due_date": "2027-01-10T00:00:00.000Z",
    }
    created = paypal_fake.event("CUSTOMER.DISPUTE.CREATED", "dispute", resource)
    assert (await webhook(api, paypal_fake, created)).json()["outcome"] == "dispute_opened"
    listed = (await api.client.get("/api/v1/tenants/acme/disputes", headers=api.owner("acme"))).json()
    (item,) = listed["items"]
    assert (item["payment_id"], item["booking_id"]) == (payment["id"], booking["id"])
    assert (item["status"], item["reason"]) == ("needs_response", "merchandise_or_service_not_received")
    assert item["amount"] == {"amount": 2500, "currency": "EUR"}
    assert item["respond_by"].startswith("2027-01-10T00:00:00")
    resolved = {
        **resource,
        "status": "RESOLVED",
        "dispute_outcome": {"outcome_code": "RESOLVED_SELLER_FAVOUR"},
    }
    event = paypal_fake.event("CUSTOMER.DISPUTE.RESOLVED", "dispute", resolved)
    assert (await webhook(api, paypal_fake, event)).json()["outcome"] == "dispute_updated"
    listed = (await api.client.get("/api/v1/tenants/acme/disputes", headers=api.owner("acme"))).json()
    assert [d["status"] for d in listed["items"]] == ["won"]


class TestCaptureFromTheButtons:
    """D13-9: the PayPal buttons' onApprove asks us to capture; the webhook may come before or after."""

    async def test_capture_after_approval_confirms_and_the_late_webhook_changes_nothing(
        self, api: Api, paypal_fake: FakePayPal
    ) -> None:
        booking, payment, order_id = await _order(api, paypal_fake)
        url = f"/api/v1/payments/{payment['id']}/capture"
        early = await api.client.post(url, headers=guest(booking))
        assert (early.status_code, early.json()["code"]) == (409, "order_not_approved"), early.text
        event = paypal_fake.buyer_approves(order_id)  # approved at PayPal; the webhook is still on its way
        assert (await api.client.post(url, headers={"X-Booking-Token": "wrong"})).status_code == 404
        captured = await api.client.post(url, headers=guest(booking))
        assert (captured.status_code, captured.json()["status"]) == (200, "succeeded"), captured.text
        again = await api.client.post(url, headers=guest(booking))  # a second click: the same answer
        assert again.json()["status"] == "succeeded"
        assert len(paypal_fake.orders[order_id]["purchase_units"][0]["payments"]["captures"]) == 1
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"
        late = await webhook(api, paypal_fake, event)
        assert late.status_code == 200 and late.json()["outcome"] in ("no_change", "approved")
        assert len(paypal_fake.orders[order_id]["purchase_units"][0]["payments"]["captures"]) == 1

    async def test_a_declined_funding_source_fails_the_payment_and_a_new_order_follows(
        self, api: Api, paypal_fake: FakePayPal
    ) -> None:
        booking, payment, order_id = await _order(api, paypal_fake)
        paypal_fake.buyer_approves(order_id)
        paypal_fake.decline_next_capture = True
        declined = await api.client.post(f"/api/v1/payments/{payment['id']}/capture", headers=guest(booking))
        assert (declined.json()["status"], declined.json()["failure_code"]) == (
            "failed",
            "instrument_declined",
        )
        retry = await pay(api, booking)
        assert retry.status_code == 201 and retry.json()["order_id"] not in (None, order_id), retry.text
