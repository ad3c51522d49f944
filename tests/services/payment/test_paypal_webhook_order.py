"""PayPal webhooks that arrive in an unexpected order or of a type we do not handle (issue 11):
applied exactly once, and an unknown one changes nothing."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.fakes.paypal_fake import FakePayPal
from tests.services.payment.flows import booking_status, guest
from tests.services.payment.test_paypal import _order, app_env, paypal_account, paypal_fake, webhook

__all__ = ["app_env", "paypal_account", "paypal_fake"]  # the fixtures, shared with test_paypal.py


async def _payment(api: Api, booking: dict[str, Any], payment: dict[str, Any]) -> dict[str, Any]:
    seen = await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))
    assert seen.status_code == 200, seen.text
    return dict(seen.json())


async def test_unknown_event_type_is_acknowledged_and_changes_nothing(
    api: Api, paypal_fake: FakePayPal
) -> None:
    booking, payment, order_id = await _order(api, paypal_fake)
    order = paypal_fake.orders[order_id]
    unknown = paypal_fake.event("CHECKOUT.PAYMENT-APPROVAL.REVERSED", "checkout-order", order)
    answered = await webhook(api, paypal_fake, unknown)
    assert (answered.status_code, answered.json()["outcome"]) == (200, "ignored"), answered.text
    assert (await _payment(api, booking, payment))["status"] == "requires_action"
    await api.settle()
    assert await booking_status(api, booking) == "pending"
    # PayPal retries until it gets a 2xx; a redelivery of the same event is recognised.
    assert (await webhook(api, paypal_fake, unknown)).json()["outcome"] == "duplicate"
    # The trail staff see records it.
    trail = await api.client.get(f"/api/v1/payments/{payment['id']}/events", headers=api.owner("acme"))
    assert trail.status_code == 200, trail.text
    recorded = [(e["kind"], e["outcome"]) for e in trail.json() if e["source"] == "paypal.webhook"]
    assert recorded == [("CHECKOUT.PAYMENT-APPROVAL.REVERSED", "ignored")], recorded


async def test_refund_delivered_before_the_capture_completed(api: Api, paypal_fake: FakePayPal) -> None:
    """The buyer approved and PayPal captured, the approval webhook is late; the merchant refunds in
    PayPal's dashboard and PAYMENT.CAPTURE.REFUNDED arrives first: the payment counts as paid then
    refunded, and the late PAYMENT.CAPTURE.COMPLETED (twice) changes nothing."""
    booking, payment, order_id = await _order(api, paypal_fake)
    paypal_fake.buyer_approves(order_id)
    unit = paypal_fake.orders[order_id]["purchase_units"][0]
    capture = {
        "id": "CAPOUTOFORDER1",
        "status": "COMPLETED",
        "amount": unit["amount"],
        "custom_id": unit["custom_id"],
        "final_capture": True,
        "supplementary_data": {"related_ids": {"order_id": order_id}},
    }
    refund = {  # a Payments v2 refund resource: its own id, the custom_id of the capture
        "id": "REFDASHBOARD1",
        "status": "COMPLETED",
        "amount": {"currency_code": "EUR", "value": "25.00"},
        "custom_id": unit["custom_id"],
        "links": [{"rel": "up", "href": f"{paypal_fake.base}/v2/payments/captures/{capture['id']}"}],
    }
    refunded = await webhook(
        api, paypal_fake, paypal_fake.event("PAYMENT.CAPTURE.REFUNDED", "refund", refund)
    )
    assert (refunded.status_code, refunded.json()["outcome"]) == (200, "applied"), refunded.text
    seen = await _payment(api, booking, payment)
    assert seen["status"] == "refunded", seen

    completed = paypal_fake.event("PAYMENT.CAPTURE.COMPLETED", "capture", capture)
    late = await webhook(api, paypal_fake, completed)
    assert (late.status_code, late.json()["outcome"]) == (200, "no_change"), late.text
    assert (await webhook(api, paypal_fake, completed)).json()["outcome"] == "duplicate"
    resent = paypal_fake.event("PAYMENT.CAPTURE.COMPLETED", "capture", capture)  # a new event id
    assert (await webhook(api, paypal_fake, resent)).json()["outcome"] == "no_change"
    assert (await _payment(api, booking, payment))["status"] == "refunded"

    # Staff can refund nothing more: the money went back once.
    again = await api.client.post(
        f"/api/v1/payments/{payment['id']}/refunds",
        json={"reason": "again", "amount": {"amount": 100, "currency": "EUR"}},
        headers=api.owner("acme"),
    )
    assert again.status_code in (409, 422), again.text
    await api.settle()
    assert await booking_status(api, booking) != "confirmed"
