"""A customer's visit as Locust users: browse → offering → availability → book → pay with the test card.

Run it through bench/load.py, which starts the distributed shape and raises the number of users
step by step; or by hand against any running Reservo:

    .venv-locust/bin/locust -f bench/locust/locustfile.py --host http://127.0.0.1:8000 \
        --headless -u 20 -r 20 -t 30s

On test start it makes a fresh tenant (an owner signs up) with an event of 64 sessions of large
capacity, so the run measures browsing, booking and paying rather than a sell-out. Every user is
a guest with an address of its own; each visit pays with Stripe's Visa test card through the
tenant's `test` provider (every new tenant starts with it). A request counts as a failure unless
it answers what a customer needs: 200/201 and, for the card, a succeeded payment.
"""

from __future__ import annotations

import itertools
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from locust import FastHttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bench/, for what every bench books
from _plans import gala, gala_start

PASSWORD = "correct horse battery"
CARD = "4242424242424242"
_plan: dict[str, Any] = {}
_visits = itertools.count()


def _expect(response: requests.Response, status: int) -> dict[str, Any]:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.url}: {response.status_code} {response.text}"
        )
    body: dict[str, Any] = response.json()
    return body


@events.test_start.add_listener
def make_tenant(environment: Any, **_: Any) -> None:
    """One tenant per run, with the benchmarks' event (bench/_plans.py)."""
    host = environment.host.rstrip("/")
    slug = f"load-{uuid.uuid4().hex[:8]}"
    http = requests.Session()
    account = {"email": f"owner@{slug}.example", "password": PASSWORD, "name": "Owner"}
    pair = _expect(http.post(f"{host}/api/v1/auth/register", json=account), 201)
    tenant = {"name": "Load test", "slug": slug, "timezone": "Europe/Berlin", "currency": "EUR"}
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    _expect(http.post(f"{host}/api/v1/tenants", json=tenant, headers=headers), 201)
    # The owner role is in the token issued after the tenant exists.
    refreshed = _expect(
        http.post(f"{host}/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}), 200
    )
    owner = {"Authorization": f"Bearer {refreshed['access_token']}"}
    first = gala_start()
    event = _expect(
        http.post(f"{host}/api/v1/tenants/{slug}/offerings", json=gala(first), headers=owner), 201
    )
    _plan.update(
        slug=slug,
        offering=event["id"],
        starts=[s["start"] for s in event["sessions"]],
        window={"from": first.date().isoformat(), "to": (first + timedelta(days=9)).date().isoformat()},
    )


class Customer(FastHttpUser):
    """A person on the storefront: looks around, books one seat, pays, thinks, and comes back."""

    wait_time = between(1, 3)

    @task
    def visit(self) -> None:
        slug, offering = _plan["slug"], _plan["offering"]
        n = next(_visits)
        base = f"/api/v1/tenants/{slug}"
        self.client.get(f"{base}/offerings", name="browse")
        self.client.get(f"{base}/offerings/{offering}", name="offering")
        self.client.get(
            f"{base}/offerings/{offering}/availability", params=_plan["window"], name="availability"
        )
        booking = {
            "offering_id": offering,
            "start": _plan["starts"][n % len(_plan["starts"])],
            "quantity": 1,
            "customer": {"name": "Load Guest", "email": f"guest{n}-{uuid.uuid4().hex[:6]}@example.com"},
        }
        with self.client.post(f"{base}/bookings", json=booking, name="book", catch_response=True) as booked:
            if booked.status_code != 201:
                booked.failure(f"{booked.status_code}: {booked.text}")
                return
            created = booked.json()
        guest = {"X-Booking-Token": created["access_token"]}
        with self.client.post(
            "/api/v1/payments",
            json={"booking_id": created["id"]},
            headers=guest,
            name="pay",
            catch_response=True,
        ) as paying:
            if paying.status_code != 201:
                paying.failure(f"{paying.status_code}: {paying.text}")
                return
            payment = paying.json()
        with self.client.post(
            f"/api/v1/payments/{payment['id']}/confirm",
            json={"card_number": CARD},
            headers=guest,
            name="confirm card",
            catch_response=True,
        ) as confirmed:
            if confirmed.status_code != 200 or confirmed.json().get("status") != "succeeded":
                confirmed.failure(f"{confirmed.status_code}: {confirmed.text}")
