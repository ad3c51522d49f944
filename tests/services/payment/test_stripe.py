"""Stripe: the real SDK against a local fake Stripe; webhooks signed as Stripe signs them."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from reservo.platform.clock import ManualClock
from tests.conftest import Api
from tests.fakes.server import serving
from tests.fakes.stripe_fake import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, signed
from tests.services.payment.flows import booked, booking_status, guest, pay, refund


@pytest.fixture
async def stripe_fake() -> AsyncIterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    async with serving(fake.app()) as url:
        yield fake, url


@pytest.fixture
def app_env(stripe_fake: tuple[FakeStripe, str]) -> dict[str, str]:
    return {
        "RESERVO_PAYMENT_STRIPE_API_BASE": stripe_fake[1],
        "RESERVO_PAYMENT_PROVIDER_TIMEOUT_SECONDS": "3",
    }


@pytest.fixture(autouse=True)
async def stripe_account(api: Api) -> None:
    """Tenant acme takes payments with Stripe (the fake); the answer never shows the secrets."""
    settings = await api.client.put(
        "/api/v1/tenants/acme/payment-settings",
        json={
            "provider": "stripe",
            "secret_key": SECRET_KEY,
            "webhook_secret": WEBHOOK_SECRET,
            "publishable_key": "pk_test_acme",
        },
        headers=api.owner("acme"),
    )
    assert settings.status_code == 200, settings.text
    assert SECRET_KEY not in settings.text and WEBHOOK_SECRET not in settings.text


async def webhook(api: Api, event: dict[str, Any], **kwargs: Any) -> Any:
    body, headers = signed(event, **kwargs)
    return await api.client.post("/api/v1/webhooks/stripe", content=body, headers=headers)


async def _intent(api: Api, fake: FakeStripe) -> tuple[dict[str, Any], dict[str, Any], str]:
    booking = await booked(api)
    created = await pay(api, booking)
    assert created.status_code == 201, created.text
    payment = created.json()
    assert payment["provider"] == "stripe" and payment["client_secret"].startswith("pi_")
    # What Stripe.js needs in the browser (D13-9): the tenant's publishable key, nothing of PayPal's.
    assert (payment["publishable_key"], payment["client_id"], payment["order_id"]) == (
        "pk_test_acme",
        None,
        None,
    )
    (pi_id,) = fake.intents
    assert fake.intents[pi_id]["metadata"]["booking_id"] == booking["id"]
    return booking, payment, pi_id


class TestStripePayment:
    async def test_book_pay_webhook_confirmed(self, api: Api, stripe_fake: tuple[FakeStripe, str]) -> None:
        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        kind = fake.customer_pays(pi, "4242424242424242")
        done = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert (done["client_secret"], done["publishable_key"]) == (payment["client_secret"], "pk_test_acme")
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
        fake.stall_next_seconds = 4.0  # longer than the 3 s provider timeout
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


class TestReconciliation:
    async def test_payment_stuck_in_processing_is_settled_by_asking_stripe(
        self, api: Api, stripe_fake: tuple[FakeStripe, str], clock: ManualClock
    ) -> None:
        from datetime import timedelta

        from reservo.services.payment.jobs import reconcile

        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        processing = fake.event("payment_intent.processing", pi, status="processing")
        assert (await webhook(api, processing)).json()["outcome"] == "applied"
        fake.customer_pays(pi, "4242424242424242")  # Stripe settles it; its webhook never arrives
        ctx = api.runtime.contexts["payment"]
        assert await reconcile(ctx) == 0  # not stuck yet
        clock.advance(timedelta(minutes=5))
        assert await reconcile(ctx) == 1
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert seen["status"] == "succeeded"
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"
        metrics = (await api.client.get("/metrics")).text
        assert 'reservo_payment_succeeded_total{provider="stripe"}' in metrics
        assert 'reservo_payment_attempts_total{provider="stripe"}' in metrics


class TestStripeSettingsAndCancellation:
    async def test_credentials_are_encrypted_at_rest_and_never_returned(self, api: Api) -> None:
        from sqlalchemy import select

        from reservo.services.payment.models import ProviderAccount

        async with api.runtime.uow("payment").read() as session:
            row = (await session.scalars(select(ProviderAccount))).one()
        assert row.provider == "stripe" and row.sealed is not None
        assert (
            SECRET_KEY not in row.sealed
            and WEBHOOK_SECRET not in row.sealed
            and SECRET_KEY not in str(row.public)
        )
        shown = await api.client.get("/api/v1/tenants/acme/payment-settings", headers=api.owner("acme"))
        assert shown.json() == {
            "provider": "stripe",
            "publishable_key": "pk_test_acme",
            "client_id": None,
            "configured": ["secret_key", "webhook_secret"],
        }
        incomplete = await api.client.put(
            "/api/v1/tenants/acme/payment-settings", json={"provider": "stripe"}, headers=api.owner("acme")
        )
        assert incomplete.status_code == 422
        by_staff = await api.client.put(
            "/api/v1/tenants/acme/payment-settings",
            json={"provider": "test"},
            headers=api.dev_token("staff@acme.example", "staff@acme"),
        )
        assert by_staff.status_code == 403

    async def test_cancelling_a_paid_booking_refunds_at_stripe(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        from tests.conftest import eventually

        fake, _ = stripe_fake
        booking, _payment, pi = await _intent(api, fake)
        await webhook(api, fake.event(fake.customer_pays(pi, "4242424242424242"), pi))
        await api.settle()
        cancelled = await api.client.post(
            f"/api/v1/tenants/acme/bookings/{booking['id']}/cancel", headers=guest(booking)
        )
        assert cancelled.json()["refund"] == {"amount": 2500, "currency": "EUR"}, cancelled.text
        await api.settle()
        api.runtime.contexts["payment"].wake("refunds")
        await eventually(lambda: fake.intents[pi]["_charge"]["amount_refunded"] == 2500)
        assert len(fake.refunds) == 1


class TestNeverPaidTwice:
    async def test_a_stale_intent_succeeding_after_another_payment_is_refunded(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        from reservo.services.payment.jobs import run_refunds

        fake, _ = stripe_fake
        booking, first, pi1 = await _intent(api, fake)
        await webhook(api, fake.event(fake.customer_pays(pi1, "4000000000000002"), pi1))
        second = (await pay(api, booking)).json()
        assert second["id"] != first["id"]
        pi2 = next(p for p in fake.intents if p != pi1)
        await webhook(api, fake.event(fake.customer_pays(pi2, "4242424242424242"), pi2))
        # An old tab retries the first intent, and Stripe takes the money again.
        late = await webhook(api, fake.event(fake.customer_pays(pi1, "4242424242424242"), pi1))
        assert late.json()["outcome"] == "applied", late.text
        await run_refunds(api.runtime.contexts["payment"])
        trail = await api.client.get(f"/api/v1/payments/{first['id']}/events", headers=api.owner("acme"))
        assert "duplicate" in trail.text, trail.text
        assert fake.intents[pi1]["_charge"]["amount_refunded"] == 2500
        assert fake.intents[pi2]["_charge"]["amount_refunded"] == 0
        await api.settle()
        assert await booking_status(api, booking) == "confirmed"


class TestPendingRefund:
    async def test_a_refund_stripe_answers_pending_completes_with_charge_refunded(
        self, api: Api, stripe_fake: tuple[FakeStripe, str]
    ) -> None:
        fake, _ = stripe_fake
        booking, payment, pi = await _intent(api, fake)
        await webhook(api, fake.event(fake.customer_pays(pi, "4242424242424242"), pi))
        fake.refund_status = "pending"
        pending = await refund(api, payment["id"], 700)
        assert pending.json()["status"] == "pending", pending.text
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert (seen["status"], seen["refunded"]) == ("succeeded", None)
        settled = await webhook(api, fake.event("charge.refunded", pi))
        assert settled.json()["outcome"] == "applied"
        seen = (await api.client.get(f"/api/v1/payments/{payment['id']}", headers=guest(booking))).json()
        assert (seen["status"], seen["refunded"]) == (
            "partially_refunded",
            {"amount": 700, "currency": "EUR"},
        )
