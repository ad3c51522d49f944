"""Book -> pay -> (webhook) -> confirmed across processes: user, catalog, booking and payment each as
`reservo serve X` + `reservo worker X` with their own PostgreSQL database, events over Kafka, calls
through the nginx gateway; the test provider for one tenant, Stripe (a local fake) for another, PayPal
(a local fake) for a third."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from reservo.platform.config import Settings
from tests.distributed.procs import Cluster, cluster
from tests.distributed.test_slice_processes import (
    distributed_env,
    open_tenant,
    payload,
    start_services,
)
from tests.fakes.paypal_fake import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, FakePayPal
from tests.fakes.server import serving_in_thread
from tests.fakes.stripe_fake import SECRET_KEY, WEBHOOK_SECRET, FakeStripe, signed
from tests.support.polling import eventually_sync

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]

SERVICES = ("user", "catalog", "booking", "payment")


@pytest.fixture
def stripe_fake() -> Iterator[tuple[FakeStripe, str]]:
    fake = FakeStripe()
    with serving_in_thread(fake.app()) as url:
        yield fake, url


@pytest.fixture
def paypal_fake() -> Iterator[FakePayPal]:
    fake = FakePayPal()
    with serving_in_thread(fake.app()) as url:
        fake.base = url
        yield fake


@pytest.fixture
def payment_cluster(
    settings: Settings,
    kafka_bootstrap: str,
    topic_prefix: str,
    tmp_path: Path,
    nginx_bin: str,
    stripe_fake: tuple[FakeStripe, str],
    paypal_fake: FakePayPal,
) -> Iterator[tuple[Cluster, str]]:
    with cluster(tmp_path, distributed_env(settings, kafka_bootstrap, topic_prefix)) as c:
        fakes = {  # the local fakes of Stripe and PayPal
            "payment": {
                "RESERVO_PAYMENT_STRIPE_API_BASE": stripe_fake[1],
                "RESERVO_PAYMENT_PAYPAL_API_BASE": paypal_fake.base,
                "RESERVO_PAYMENT_PAYPAL_CERT_URL_PREFIXES": json.dumps([f"{paypal_fake.base}/certs/"]),
            }
        }
        # eight interpreters starting at once on a small, shared machine
        apis = start_services(c, settings, SERVICES, extra_env=fakes, timeout=180)
        yield c, c.gateway(apis).url


def _offer_and_book(http: httpx.Client, slug: str, owner: dict[str, str]) -> dict[str, Any]:
    """Create an offering and book it at once: read-your-writes means no step waits for an event."""
    offered = http.post(f"/api/v1/tenants/{slug}/offerings", json=payload("offering"), headers=owner)
    assert offered.status_code == 201, offered.text
    booked = http.post(f"/api/v1/tenants/{slug}/bookings", json=payload("booking", offering=offered.json()))
    assert booked.status_code == 201, booked.text
    return dict(booked.json())


def _status(http: httpx.Client, slug: str, booking: dict[str, Any], owner: dict[str, str]) -> str:
    return str(http.get(f"/api/v1/tenants/{slug}/bookings/{booking['id']}", headers=owner).json()["status"])


def test_pay_with_test_card_stripe_and_paypal_confirms_across_processes(
    payment_cluster: tuple[Cluster, str], stripe_fake: tuple[FakeStripe, str], paypal_fake: FakePayPal
) -> None:
    c, gw = payment_cluster
    fake, _ = stripe_fake
    http = httpx.Client(base_url=gw, timeout=15)

    # Test provider (the default): pay at once after booking, before payment saw booking.created.
    acme = open_tenant(http, "acme")
    booking = _offer_and_book(http, "acme", acme)
    guest = {"X-Booking-Token": booking["access_token"]}
    created = http.post("/api/v1/payments", json={"booking_id": booking["id"]}, headers=guest)
    assert (created.status_code, created.json()["provider"]) == (201, "test"), created.text
    paid = http.post(
        f"/api/v1/payments/{created.json()['id']}/confirm",
        json={"card_number": "4242424242424242"},
        headers=guest,
    )
    assert paid.json()["status"] == "succeeded", paid.text
    eventually_sync(lambda: _status(http, "acme", booking, acme) == "confirmed")

    # Stripe: the tenant's settings, the SDK against the fake, the signed webhook through the gateway.
    beta = open_tenant(http, "beta")
    stripe_settings = {"provider": "stripe", "secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}
    settings_put = http.put("/api/v1/tenants/beta/payment-settings", json=stripe_settings, headers=beta)
    assert settings_put.status_code == 200, settings_put.text
    booking = _offer_and_book(http, "beta", beta)
    guest = {"X-Booking-Token": booking["access_token"]}
    created = http.post("/api/v1/payments", json={"booking_id": booking["id"]}, headers=guest)
    assert (created.status_code, created.json()["provider"]) == (201, "stripe"), created.text
    (pi,) = fake.intents
    body, headers = signed(fake.event(fake.customer_pays(pi, "4242424242424242"), pi))
    delivered = http.post("/api/v1/webhooks/stripe", content=body, headers=headers)
    assert delivered.status_code == 200, delivered.text
    eventually_sync(lambda: _status(http, "beta", booking, beta) == "confirmed")

    # PayPal: an order with an approve link; the buyer approves on PayPal's page, the signed
    # CHECKOUT.ORDER.APPROVED webhook makes the payment process capture, the capture webhook follows.
    gamma = open_tenant(http, "gamma")
    paypal_settings = {
        "provider": "paypal",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "webhook_id": WEBHOOK_ID,
    }
    settings_put = http.put("/api/v1/tenants/gamma/payment-settings", json=paypal_settings, headers=gamma)
    assert settings_put.status_code == 200 and CLIENT_SECRET not in settings_put.text, settings_put.text
    booking = _offer_and_book(http, "gamma", gamma)
    guest = {"X-Booking-Token": booking["access_token"]}
    created = http.post("/api/v1/payments", json={"booking_id": booking["id"]}, headers=guest)
    assert (created.status_code, created.json()["provider"]) == (201, "paypal"), created.text
    (order_id,) = paypal_fake.orders
    assert created.json()["approval_url"].endswith(order_id)
    assert paypal_fake.orders[order_id]["purchase_units"][0]["amount"] == {
        "currency_code": "EUR",
        "value": "25.00",
    }
    body, headers = paypal_fake.signed(paypal_fake.buyer_approves(order_id))
    approved = http.post("/api/v1/webhooks/paypal", content=body, headers=headers)
    assert (approved.status_code, approved.json()["outcome"]) == (200, "approved"), approved.text
    assert paypal_fake.orders[order_id]["status"] == "COMPLETED", "captured at PayPal"
    capture = paypal_fake.orders[order_id]["purchase_units"][0]["payments"]["captures"][0]
    body, headers = paypal_fake.signed(paypal_fake.event("PAYMENT.CAPTURE.COMPLETED", "capture", capture))
    completed = http.post("/api/v1/webhooks/paypal", content=body, headers=headers)
    assert completed.status_code == 200, completed.text
    paid = http.get(f"/api/v1/payments/{created.json()['id']}", headers=guest)
    assert paid.json()["status"] == "succeeded", paid.text
    eventually_sync(lambda: _status(http, "gamma", booking, gamma) == "confirmed")
    assert all(p.alive() for p in c.procs), "no process crashed"
    assert not [p.name for p in c.procs if "Traceback" in p.log.read_text()], "no process logged a crash"
