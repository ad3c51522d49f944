"""The vertical slice across processes: user, catalog, booking and notification each as `reservo
serve X` + `reservo worker X`, each with its own PostgreSQL database, talking only through Kafka,
reached only through the nginx gateway generated from routes.toml."""

from __future__ import annotations

import signal
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from reservo.platform.auth.keys import KeyStore
from reservo.platform.config import Settings
from tests.distributed.otlp import Collector
from tests.distributed.procs import Cluster, Proc, cluster
from tests.support.offerings import event
from tests.support.polling import eventually_sync as eventually

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]

SLICE = ("user", "catalog", "booking", "notification")


# --- the two helpers that hold the request shapes and the sign-in flow ---------------------------
def open_tenant(http: httpx.Client, slug: str) -> dict[str, str]:
    """Through the gateway, as a user would: register, create the tenant, refresh to get a token that
    carries the new owner role. Returns the owner's headers (a JWT minted by the user process and
    verified by every other process with the shared key directory)."""
    account = {"email": f"owner@{slug}.example", "password": "correct horse battery", "name": "Owner"}
    registered = http.post("/api/v1/auth/register", json=account)
    assert registered.status_code == 201, registered.text
    pair = registered.json()
    created = http.post(
        "/api/v1/tenants",
        json=payload("tenant", slug=slug),
        headers={"Authorization": f"Bearer {pair['access_token']}"},
    )
    assert created.status_code == 201, created.text
    refreshed = http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    return {"Authorization": f"Bearer {refreshed.json()['access_token']}"}


def payload(kind: str, **fields: Any) -> dict[str, Any]:
    """Request bodies of the slice, by what they create."""
    if kind == "tenant":
        slug = fields["slug"]
        return {"name": slug.title(), "slug": slug, "timezone": "Europe/Berlin", "currency": "EUR"}
    if kind == "offering":  # an event with one session, a week ahead
        start = (datetime.now(UTC) + timedelta(days=7)).replace(hour=19, minute=0, second=0, microsecond=0)
        return event(fields.get("capacity", 20), [start], timezone="Europe/Berlin")
    if kind == "booking":  # one seat in the offering's first session
        offering = fields["offering"]
        return {
            "offering_id": offering["id"],
            "start": offering["sessions"][0]["start"],
            "quantity": 1,
            "customer": {"name": "Ann", "email": fields.get("email", "ann@example.com")},
        }
    raise ValueError(kind)


# --------------------------------------------------------------------------------------------------
def distributed_env(settings: Settings, kafka_bootstrap: str, topic_prefix: str) -> dict[str, str]:
    """What every process of the distributed shape shares (databases are given per service)."""
    # One signing key made before any process starts (what `reservo keys rotate` does in production).
    KeyStore(settings.data_dir / "keys", retire_after=timedelta(days=1)).ensure(create=True)
    return {
        "RESERVO_BUS": "kafka",
        "RESERVO_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "RESERVO_KAFKA_TOPIC_PREFIX": topic_prefix,
        "RESERVO_KAFKA_PARTITIONS": "3",
        "RESERVO_DATA_DIR": str(settings.data_dir),
        # After the identity merge every process verifies (and user signs) JWTs with these keys.
        "RESERVO_JWT_KEYS_DIR": str(settings.data_dir / "keys"),
        "RESERVO_RELAY_POLL_SECONDS": "0.2",
        "RESERVO_CONSUMER_BACKOFF_SECONDS": "0.05",
        "RESERVO_LOG_LEVEL": "WARNING",
        "RESERVO_ENVIRONMENT": "test",
    }


def own_database(settings: Settings, service: str) -> dict[str, str]:
    return {f"RESERVO_{service.upper()}_DATABASE_URL": settings.database_url_for(service)}


def start_services(
    c: Cluster,
    settings: Settings,
    services: tuple[str, ...],
    extra_env: Mapping[str, Mapping[str, str]] | None = None,
    timeout: float = 60,
) -> dict[str, Proc]:
    """`serve` + `worker` per service, each told where the owners it asks on a replica miss live
    (platform/owner.py): the services listed before it (user for tenants, catalog for offerings...)."""
    apis: dict[str, Proc] = {}
    for s in services:
        owners = {f"RESERVO_{o.upper()}_URL": p.url for o, p in apis.items()}
        env = {**own_database(settings, s), **owners, **(extra_env or {}).get(s, {})}
        apis[s] = c.serve(s, env=env, wait=False)
        c.worker(s, env=env)
    for proc in apis.values():
        proc.wait_http(timeout=timeout)
    return apis


@pytest.fixture
def collector() -> Iterator[Collector]:
    found = Collector()
    yield found
    found.close()


@pytest.fixture
def slice_cluster(
    settings: Settings,
    kafka_bootstrap: str,
    topic_prefix: str,
    tmp_path: Path,
    nginx_bin: str,
    collector: Collector,
) -> Iterator[tuple[Cluster, str]]:
    # Every process exports its spans over OTLP to the test's collector.
    tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.url, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    with cluster(tmp_path, {**distributed_env(settings, kafka_bootstrap, topic_prefix), **tracing}) as c:
        apis = start_services(c, settings, SLICE)
        gateway = c.gateway(apis)
        yield c, gateway.url


def test_tenant_offering_booking_and_confirmation_email_across_processes(
    slice_cluster: tuple[Cluster, str], settings: Settings, collector: Collector
) -> None:
    c, gw = slice_cluster
    http = httpx.Client(base_url=gw, timeout=10)
    owner = open_tenant(http, "acme")

    # Read-your-writes: each step works at once after the previous one answered 2xx (no waiting).
    created = http.post("/api/v1/tenants/acme/offerings", json=payload("offering"), headers=owner)
    assert created.status_code == 201, created.text
    offered = created.json()
    booking = http.post("/api/v1/tenants/acme/bookings", json=payload("booking", offering=offered))
    assert booking.status_code == 201, booking.text
    booked = booking.json()
    outbox = settings.data_dir / "outbox"

    def addressed_to(email: str) -> list[str]:
        return [t for p in outbox.glob("*.eml") if f"To: {email}" in (t := p.read_text())]

    confirmations = eventually(lambda: addressed_to("ann@example.com"))
    assert len(confirmations) == 1 and "Jazz night" in confirmations[0]

    # One trace: the booking request in the booking API, and the notification worker handling its
    # booking.created (the confirmation email), linked through the outbox, Kafka and the envelope.
    def one_trace() -> Any:
        spans = collector.spans()
        emails = {x.trace_id for x in spans if x.name == "notification process booking.created"}
        requests = {x.trace_id for x in spans if x.service == "reservo-booking" and x.name.startswith("POST")}
        return emails & requests

    (trace_id,) = eventually(one_trace, timeout=30)
    services = {x.service for x in collector.spans() if x.trace_id == trace_id}
    assert {"reservo-booking", "reservo-notification"} <= services, services
    # The owner got the email verification once (and, as staff, a new-booking note besides).
    verification = [t for t in addressed_to("owner@acme.example") if "Confirm your email address" in t]
    assert len(verification) == 1
    assert http.get(f"/api/v1/tenants/acme/bookings/{booked['id']}", headers=owner).status_code == 200
    missing = http.get("/api/v1/nowhere")
    assert (missing.status_code, missing.json()["code"]) == (404, "route_not_found")
    assert all(p.alive() for p in c.procs), "no process crashed"
    for worker in (p for p in c.procs if p.name.startswith("worker-")):
        ready = httpx.get(f"{worker.url}/readyz", timeout=10)
        assert ready.status_code == 200 and ready.json()["checks"]["bus"] == "ok", ready.text
    metrics = httpx.get(f"{next(p for p in c.procs if p.name == 'worker-notification').url}/metrics").text
    assert 'reservo_kafka_consumer_lag{group="notification"' in metrics
    exits = {p.name: p.stop() for p in reversed(c.procs)}
    # uvicorn re-raises SIGTERM once its graceful shutdown (lifespan included) is done: exit -15.
    clean = {
        n: code == 0 or (n.startswith(("serve-", "gateway-meta")) and code == -signal.SIGTERM)
        for n, code in exits.items()
    }
    assert all(clean.values()), f"SIGTERM stops every process cleanly: {exits}"
    assert not [p.name for p in c.procs if "Traceback" in p.log.read_text()], "no process logged a crash"
