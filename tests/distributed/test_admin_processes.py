"""Issue 14 in the distributed shape: the admin process gathers every service's dead letters over
HTTP (RESERVO_<SERVICE>_URL) and a replay reaches the owning service's process through the gateway.

user, booking and admin run as `serve` + `worker` with their own PostgreSQL databases and Kafka; the
other services are not started, so the admin's view says they are unavailable instead of failing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from reservo.contracts.events.user import TenantCreated
from reservo.platform.config import Settings
from reservo.platform.events.envelope import Envelope
from reservo.seed import cli_runtime
from reservo.services import NAMES, booking
from reservo.services.user.service.accounts import ensure_account
from tests.distributed.procs import cluster
from tests.distributed.test_slice_processes import distributed_env, start_services

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]

RUNNING = ("user", "booking", "admin")
PASSWORD = "correct horse battery"


@pytest.fixture
def backend() -> str:
    return "postgres"


@pytest.fixture
def admin_cluster(
    settings: Settings, kafka_bootstrap: str, topic_prefix: str, tmp_path: Path, nginx_bin: str
) -> Iterator[str]:
    env = distributed_env(settings, kafka_bootstrap, topic_prefix)
    # Services not started refuse at once (port 9), as a service that is down would.
    absent = {f"RESERVO_{s.upper()}_URL": "http://127.0.0.1:9" for s in NAMES if s not in RUNNING}
    with cluster(tmp_path, {**env, **absent}) as c:
        apis = start_services(c, settings, RUNNING, timeout=180)
        yield c.gateway(apis).url


async def _dead_letter_in_booking(settings: Settings) -> tuple[uuid.UUID, str]:
    """An event booking failed to apply earlier (a tenant it never learnt of), as the consumer
    stores it after its last attempt; its cause is gone, so a replay applies it."""
    slug = f"ghost-{uuid.uuid4().hex[:6]}"
    tenant = TenantCreated(id=uuid.uuid4(), slug=slug, name="Ghost", timezone="UTC", currency="EUR")
    envelope = Envelope.wrap(tenant, tenant_id=tenant.id, now=datetime.now(UTC))
    table = booking.spec.metadata.tables["dead_letters"]
    dead_id, now = uuid.uuid4(), datetime.now(UTC)
    engine = create_async_engine(settings.database_url_for("booking"))
    try:
        async with engine.begin() as conn:
            await conn.execute(
                table.insert().values(
                    id=dead_id,
                    consumer="booking",
                    event_id=envelope.id,
                    type=envelope.type,
                    envelope=envelope.model_dump(mode="json"),
                    error="RuntimeError('database was down')",
                    attempts=5,
                    created_at=now,
                    updated_at=now,
                )
            )
    finally:
        await engine.dispose()
    return dead_id, slug


async def _make_admin(settings: Settings) -> None:
    """What `reservo admin create` does, against the user process's database."""
    runtime = cli_runtime(settings, ["user"])
    async with runtime.running(workers=False):
        await ensure_account(runtime.contexts["user"], "root@platform.example", PASSWORD, "Root", admin=True)


def test_dead_letters_of_every_service_and_replay_behind_the_gateway(
    admin_cluster: str, settings: Settings
) -> None:
    gw = admin_cluster
    asyncio.run(_make_admin(settings))
    dead_id, slug = asyncio.run(_dead_letter_in_booking(settings))
    http = httpx.Client(base_url=gw, timeout=30)
    login = http.post("/api/v1/auth/login", json={"email": "root@platform.example", "password": PASSWORD})
    assert login.status_code == 200, login.text
    admin = {"Authorization": f"Bearer {login.json()['access_token']}"}

    view = http.get("/api/v1/admin/dead-letters", headers=admin)
    assert view.status_code == 200, view.text
    by_service = {s["service"]: s for s in view.json()}
    assert [d["id"] for d in by_service["booking"]["items"]] == [str(dead_id)]
    assert by_service["user"]["available"] and by_service["user"]["items"] == []
    assert by_service["admin"]["available"]
    assert not by_service["catalog"]["available"]  # not running: said so, the rest still shown

    customer = http.post(
        "/api/v1/auth/register", json={"email": "c@example.com", "password": PASSWORD, "name": "C"}
    )
    as_customer = {"Authorization": f"Bearer {customer.json()['access_token']}"}
    assert http.get("/api/v1/admin/dead-letters", headers=as_customer).status_code == 403
    replay = f"/api/v1/admin/dead-letters/booking/{dead_id}/replay"
    assert http.post(replay, headers=as_customer).status_code == 403

    # The gateway sends the replay to the booking process, whose consumer applies the event.
    assert http.get(f"/api/v1/tenants/{slug}/bookings", headers=admin).status_code == 404
    replayed = http.post(replay, headers=admin)
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["outcome"] == "applied"
    assert http.get(f"/api/v1/tenants/{slug}/bookings", headers=admin).status_code == 200
    after = {s["service"]: s for s in http.get("/api/v1/admin/dead-letters", headers=admin).json()}
    assert after["booking"]["items"] == []
