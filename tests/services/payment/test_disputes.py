"""Disputes: Stripe's signed `charge.dispute.*` webhooks (the real SDK verifies them) open a dispute
row once, update it until it is decided, announce `payment.dispute_opened` once, and staff list the
disputes page by page. PayPal's CUSTOMER.DISPUTE.* is in test_paypal.py."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from reservo.platform.clock import ManualClock
from tests.conftest import Api
from tests.fakes.stripe_fake import FakeStripe
from tests.services.payment.flows import booked, pay
from tests.services.payment.test_stripe import app_env, stripe_account, stripe_fake, webhook  # noqa: F401  (fixtures)

DUE_BY = 1_798_761_600  # 2027-01-01T00:00:00Z


def dispute(fake: FakeStripe, pi: str, kind: str, status: str, dispute_id: str) -> dict[str, Any]:
    """The event Stripe sends about a dispute: its `data.object` is the Dispute (docs.stripe.com/api/disputes)."""
    charge = fake.intents[pi]["_charge"]
    event = fake.event("charge.succeeded", pi)
    event["type"] = kind
    event["data"] = {
        "object": {
            "id": dispute_id,
            "object": "dispute",
            "amount": charge["amount"],
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": pi,
            "reason": "fraudulent",
            "status": status,
            "evidence_details": {"due_by": DUE_BY, "has_evidence": False, "past_due": False},
            "is_charge_refundable": False,
            "livemode": False,
            "metadata": {},
            "created": int(time.time()),
        }
    }
    return event


async def _paid(app: Api, fake: FakeStripe) -> tuple[dict[str, Any], dict[str, Any], str]:
    booking = await booked(app)
    before = set(fake.intents)
    payment = (await pay(app, booking)).json()
    (pi,) = set(fake.intents) - before
    answer = await webhook(app, fake.event(fake.customer_pays(pi, "4242424242424242"), pi))
    assert answer.json()["outcome"] == "applied", answer.text
    return booking, payment, pi


async def _opened_events(app: Api) -> list[dict[str, Any]]:
    uow = app.runtime.uow("payment")
    outbox = uow.tables.outbox
    async with uow.read() as session:
        rows = (await session.scalars(select(outbox.c.envelope).order_by(outbox.c.position))).all()
    return [e for e in rows if e["type"] == "payment.dispute_opened"]


async def test_a_dispute_webhook_opens_one_dispute_staff_list_and_one_event_announces(
    api: Api,
    stripe_fake: tuple[FakeStripe, str],  # noqa: F811
) -> None:
    fake, _ = stripe_fake
    booking, payment, pi = await _paid(api, fake)
    opened = dispute(fake, pi, "charge.dispute.created", "needs_response", "dp_1")
    assert (await webhook(api, opened)).json()["outcome"] == "dispute_opened"
    assert (await webhook(api, opened)).json()["outcome"] == "duplicate"  # a redelivery
    review = dispute(fake, pi, "charge.dispute.updated", "under_review", "dp_1")
    assert (await webhook(api, review)).json()["outcome"] == "dispute_updated"

    listed = await api.client.get("/api/v1/tenants/acme/disputes", headers=api.owner("acme"))
    assert listed.status_code == 200, listed.text
    (item,) = listed.json()["items"]
    assert item["payment_id"] == payment["id"] and item["booking_id"] == booking["id"]
    assert (item["status"], item["reason"], item["provider"]) == ("under_review", "fraudulent", "stripe")
    assert item["amount"] == {"amount": 2500, "currency": "EUR"}
    assert item["respond_by"].startswith("2027-01-01T00:00:00")

    await api.settle()
    (event,) = await _opened_events(api)
    assert event["key"] == booking["id"]
    data = event["data"]
    assert (data["id"], data["payment_id"], data["status"]) == (item["id"], payment["id"], "needs_response")
    assert data["amount"] == {"amount": 2500, "currency": "EUR"}
    assert "ann@example.com" not in str(event) and "dp_1" not in str(event)  # nothing staff do not need

    lost = dispute(fake, pi, "charge.dispute.closed", "lost", "dp_1")
    assert (await webhook(api, lost)).json()["outcome"] == "dispute_updated"
    late = dispute(fake, pi, "charge.dispute.updated", "under_review", "dp_1")
    assert (await webhook(api, late)).json()["outcome"] == "no_change"  # decided stays decided
    again = (await api.client.get("/api/v1/tenants/acme/disputes", headers=api.owner("acme"))).json()
    assert [d["status"] for d in again["items"]] == ["lost"]
    await api.settle()
    assert len(await _opened_events(api)) == 1


async def test_disputes_are_staff_only_paginated_and_filtered(
    api: Api,
    stripe_fake: tuple[FakeStripe, str],  # noqa: F811
    clock: ManualClock,
) -> None:
    fake, _ = stripe_fake
    for n in range(3):
        _, _, pi = await _paid(api, fake)
        status = "won" if n == 0 else "needs_response"
        answer = await webhook(
            api, dispute(fake, pi, "charge.dispute.created", status, f"dp_{secrets.token_hex(4)}")
        )
        assert answer.json()["outcome"] == "dispute_opened"
        clock.advance(timedelta(minutes=1))

    url = "/api/v1/tenants/acme/disputes"
    staff = api.dev_token("staff@acme.example", "staff@acme")
    first = (await api.client.get(url, params={"limit": 2}, headers=staff)).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = (
        await api.client.get(url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=staff)
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert len(set(ids)) == 3
    assert rest["items"][0]["status"] == "won"  # newest first: the first dispute is last
    open_only = (await api.client.get(url, params={"status": "needs_response"}, headers=staff)).json()
    assert len(open_only["items"]) == 2

    stranger = api.dev_token("someone@example.com")
    assert (await api.client.get(url, headers=stranger)).status_code == 403
    assert (await api.client.get(url)).status_code == 401
    other = api.dev_token("owner@other.example", "owner@other")
    assert (await api.client.get(url, headers=other)).status_code == 403
    bad = await api.client.get(url, params={"cursor": "nonsense"}, headers=staff)
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
