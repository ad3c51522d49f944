"""Stripe: the real SDK against a local fake Stripe; webhooks signed as Stripe signs them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.conftest import Api
from tests.fakes.server import serving
from tests.fakes.stripe_fake import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, signed
from tests.services.payment.conftest import SERVICES
from tests.services.payment.flows import booked, booking_status, guest, pay, refund


@pytest.fixture
async def stripe_fake() -> AsyncIterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    async with serving(fake.app()) as url:
        yield fake, url


@pytest.fixture
async def api(
    make_api: Callable[..., Any],
    clock: ManualClock,
    stripe_fake: tuple[FakeStripe, str],
    monkeypatch: pytest.MonkeyPatch,
) -> Api:
    monkeypatch.setenv("RESERVO_PAYMENT_STRIPE_API_BASE", stripe_fake[1])
    monkeypatch.setenv("RESERVO_PAYMENT_PROVIDER_TIMEOUT_SECONDS", "0.5")
    result: Api = await make_api(SERVICES, clock=clock)
    await result.tenant("acme")
    settings = await result.client.put(
        "/api/v1/tenants/acme/payment-settings",
        json={
            "provider": "stripe",
            "secret_key": SECRET_KEY,
            "webhook_secret": WEBHOOK_SECRET,
            "publishable_key": "pk_test_acme",
        },
        headers=result.owner("acme"),
    )
    assert settings.status_code == 200, settings.text
    assert SECRET_KEY not in settings.text and WEBHOOK_SECRET not in settings.text
    return result


async def webhook(api: Api, event: dict[str, Any], **kwargs: Any) -> Any:
    body, headers = signed(event, **kwargs)
    return await api.client.post("/api/v1/webhooks/stripe", content=body, headers=headers)


async def _intent(api: Api, fake: FakeStripe) -> tuple[dict[str, Any], dict[str, Any], str]:
    booking = await booked(api)
    created = await pay(api, booking)
    assert created.status_code == 201, created.text
    payment = created.json()
    assert payment["provider"] == "stripe" and payment["client_secret"].startswith("pi_")
    (pi_id,) = fake.intents
    assert fake.intents[pi_id]["metadata"]["booking_id"] == booking["id"]
    return booking, payment, pi_id


class TestStripePayment:
    async def test_book_pay_webhook_confirmed(self, api: Api, stripe_fake: tuple[FakeStripe, str]) -> None:
        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        kind = fake.customer_pays(pi, "4242424242424242")
        answer = await webhook(api, fake.event(kind, pi))
        assert answer.status_code == 200, answer.text
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert seen["status"] == "succeeded"
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"

    async def test_declined_card_fails_and_booking_stays_pending(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        await webhook(api, fake.event(fake.customer_pays(pi, "4000000000000002"), pi))
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert (seen["status"], seen["failure_code"]) == ("failed", "card_declined")
        await api.settle()
        assert await booking_status(api, booking) == "pending"

    async def test_partial_and_full_refund_through_stripe(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        await webhook(api, fake.event(fake.customer_pays(pi, "4242424242424242"), pi))
        await api.settle()
        part = await refund(api, payment["id"], 500)
        assert (part.status_code, part.json()["status"]) == (201, "succeeded"), part.text
        assert fake.intents[pi]["_charge"]["amount_refunded"] == 500
        # Stripe's own charge.refunded for the refund we made changes nothing more.
        echo = await webhook(api, fake.event("charge.refunded", pi))
        assert echo.json()["outcome"] == "no_change"
        rest = await refund(api, payment["id"])
        assert rest.json()["amount"]["amount"] == 2000
        await api.settle()
        assert fake.intents[pi]["_charge"]["refunded"] is True
        assert await booking_status(api, booking) == "cancelled"

    async def test_timeout_then_retry_creates_one_intent(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        fake, _ = stripe_fake
        booking = await booked(api)
        fake.stall_next_seconds = 1.5  # longer than the 0.5 s provider timeout
        first = await pay(api, booking)
        assert (first.status_code, first.json()["code"]) == (503, "provider_unavailable")
        retry = await pay(api, booking)
        assert retry.status_code == 200, retry.text  # the same open payment, now with its intent
        assert fake.creates == 1 and len(fake.intents) == 1
        assert retry.json()["client_secret"].startswith(next(iter(fake.intents)))


class TestStripeWebhooks:
    async def test_forged_signature_and_stale_timestamp_change_nothing(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        kind = fake.customer_pays(pi, "4242424242424242")
        forged = await webhook(api, fake.event(kind, pi), secret="whsec_guess")
        assert (forged.status_code, forged.json()["code"]) == (400, "invalid_signature")
        stale = await webhook(api, fake.event(kind, pi), at=int(time.time()) - 3600)
        assert stale.status_code == 400
        unsigned = await api.client.post("/api/v1/webhooks/stripe", content=b"{}")
        assert unsigned.status_code == 400
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert seen["status"] == "requires_payment_method"

    async def test_duplicate_delivery_applies_once_and_unknown_type_is_acknowledged(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        fake, _ = stripe_fake
        _booking, payment, pi = await _intent(api, fake)
        event = fake.event(fake.customer_pays(pi, "4242424242424242"), pi)
        assert (await webhook(api, event)).json()["outcome"] == "applied"
        assert (await webhook(api, event)).json()["outcome"] == "duplicate"
        unknown = await webhook(api, fake.event("payment_intent.amount_capturable_updated", pi))
        assert (unknown.status_code, unknown.json()["outcome"]) == (200, "ignored")
        trail = await api.client.get(f"/api/v1/payments/{payment['id']}/events", headers=api.owner("acme"))
        kinds = [e["kind"] for e in trail.json()]
        assert kinds.count("payment_intent.succeeded") == 1 and "create_intent" in kinds
        assert SECRET_KEY not in trail.text and "secret_" not in trail.text

    async def test_refund_before_success_out_of_order(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        succeeded = fake.event(fake.customer_pays(pi, "4242424242424242"), pi)
        fake.intents[pi]["_charge"]["amount_refunded"] = 2500  # refunded in Stripe's dashboard
        assert (await webhook(api, fake.event("charge.refunded", pi))).json()["outcome"] == "applied"
        assert (await webhook(api, succeeded)).json()["outcome"] == "no_change"
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert (seen["status"], seen["refunded"]) == ("refunded", {"amount": 2500, "currency": "EUR"})
        await api.settle()
        assert await booking_status(api, booking) == "cancelled"

    async def test_wrong_amount_never_confirms(self, api: Api, stripe_fake: tuple[FakeStripe, str]) -> None:
        fake, _ = stripe_fake
        booking, _payment, pi = await _intent(api, fake)
        fake.customer_pays(pi, "4242424242424242")
        answer = await webhook(api, fake.event("payment_intent.succeeded", pi, amount_received=1))
        assert answer.json()["outcome"] == "amount_mismatch"
        await api.settle()
        assert await booking_status(api, booking) == "pending"
