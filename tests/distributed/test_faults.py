"""Nothing lost, nothing doubled under faults, with real processes:
- a consuming worker SIGKILLed in the middle of 1,000 events, then restarted;
- the Kafka broker stopped and restarted while bookings are being made;
- PostgreSQL restarted under relays, consumers and the API.
Engines that get restarted are private instances on their own ports (scripts/services.sh with a
private state dir), so other tests using the shared engines never see a restart. Side effects are
counted in the consumers' databases."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from reservo.platform.events.envelope import RawEnvelope
from reservo.platform.events.kafka import KafkaBus, KafkaOptions
from tests.conftest import IN_CI, PG_URL, _asyncpg_url, _pg_execute
from tests.distributed import probe
from tests.distributed.procs import Cluster, cluster, free_port
from tests.distributed.test_slice_processes import SLICE, open_tenant, payload, start_services
from tests.support.polling import eventually

pytestmark = [pytest.mark.kafka, pytest.mark.postgres, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SERVICES_SH = ROOT / "scripts" / "services.sh"


def _kafka_env(bootstrap: str, prefix: str) -> dict[str, str]:
    return {
        "RESERVO_BUS": "kafka",
        "RESERVO_KAFKA_BOOTSTRAP": bootstrap,
        "RESERVO_KAFKA_TOPIC_PREFIX": prefix,
        "RESERVO_KAFKA_PARTITIONS": "3",
        "RESERVO_RELAY_POLL_SECONDS": "0.2",
        "RESERVO_CONSUMER_BACKOFF_SECONDS": "0.05",
        "RESERVO_LOG_LEVEL": "WARNING",
        "RESERVO_ENVIRONMENT": "test",
        "PYTHONPATH": str(ROOT),
    }


async def _scalar(url: str, sql: str) -> Any:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""), timeout=5)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


class TestConsumerKilled:
    async def test_sigkill_of_a_worker_mid_stream_applies_each_of_1000_events_exactly_once(
        self, kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
    ) -> None:
        db = f"probe_{uuid.uuid4().hex[:10]}"
        try:
            await _pg_execute(f'CREATE DATABASE "{db}"')
        except OSError as exc:
            pytest.fail(str(exc)) if IN_CI else pytest.skip(f"PostgreSQL not reachable: {exc}")
        url = _asyncpg_url(PG_URL, db)
        await probe.migrate(url)
        env = {**_kafka_env(kafka_bootstrap, topic_prefix), "RESERVO_PROBE_DATABASE_URL": url}
        argv = [sys.executable, "-m", "tests.distributed.probe", "worker"]
        count = "SELECT count(*) FROM effects"
        bus = KafkaBus(KafkaOptions(kafka_bootstrap, topic_prefix=topic_prefix, partitions=3))
        await bus.start()
        try:
            with cluster(tmp_path, env) as c:
                first = c._proc("probe-1", argv, None, None)
                keys = [str(uuid.uuid4()) for _ in range(100)]
                stream = [
                    RawEnvelope(type=probe.EVENT, key=k, occurred_at=datetime.now(UTC), data={"seq": s})
                    for s in range(10)
                    for k in keys
                ]

                async def produce() -> None:
                    for i in range(0, len(stream), 20):
                        await bus.publish("probe.events", stream[i : i + 20])
                        await asyncio.sleep(0.03)

                producing = asyncio.create_task(produce())
                await eventually(
                    lambda: _scalar(url, "SELECT count(*) >= 150 FROM effects"), 90, 0.3, "first effects"
                )
                first.kill()
                killed_at = await _scalar(url, count)
                c._proc("probe-2", argv, None, None)
                await producing
                await eventually(
                    lambda: _scalar(url, "SELECT count(DISTINCT event_id) = 1000 FROM effects"),
                    120,
                    0.3,
                    "all applied",
                )
                await asyncio.sleep(2)  # a late duplicate would land now
                total = await _scalar(url, count)
                disorder = await _scalar(
                    url,
                    "SELECT count(*) FROM (SELECT seq < lag(seq) OVER (PARTITION BY key ORDER BY position) AS back"
                    " FROM effects) t WHERE back",
                )
        finally:
            await bus.stop()
            await _pg_execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        assert 0 < killed_at < 1000, "the worker died mid-stream"
        assert total == 1000, "every event applied exactly once"
        assert disorder == 0, "per-key order held across the restart"


# --- private engines that the tests restart -----------------------------------------------------
@dataclass
class Private:
    env: dict[str, str]
    pg_port: int
    kafka_port: int

    def sh(self, *args: str) -> None:
        done = subprocess.run([str(SERVICES_SH), *args], env=self.env, capture_output=True, timeout=240)
        assert done.returncode == 0, done.stderr.decode()[-2000:]

    @property
    def pg_url(self) -> str:
        return f"postgresql+asyncpg://reservo@127.0.0.1:{self.pg_port}"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"


def _two_free_ports() -> int:
    while True:
        port = free_port()
        if port < 65000:
            try:
                import socket

                with socket.socket() as s:
                    s.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                continue


@pytest.fixture(scope="module")
def private() -> Iterator[Private]:
    if not _engines_installable():
        (pytest.fail if IN_CI else pytest.skip)("no PostgreSQL or Java on this machine")
    state = tempfile.mkdtemp(prefix="reservo-private-", dir="/var/tmp")
    os.chmod(state, 0o755)  # the unprivileged PostgreSQL user must reach its data dir
    env = {
        **os.environ,
        "RESERVO_SERVICES_STATE": state,
        "RESERVO_PG_PORT": str(free_port()),
        "RESERVO_KAFKA_PORT": str(_two_free_ports()),
        "RESERVO_REDIS_PORT": str(free_port()),
    }
    engines = Private(env, int(env["RESERVO_PG_PORT"]), int(env["RESERVO_KAFKA_PORT"]))
    try:
        engines.sh("up", "postgres", "kafka")
        yield engines
    finally:
        subprocess.run(
            [str(SERVICES_SH), "down", "postgres", "kafka"], env=env, capture_output=True, timeout=120
        )
        shutil.rmtree(state, ignore_errors=True)


def _engines_installable() -> bool:
    return bool(shutil.which("java")) and any(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))


@pytest.fixture
def private_slice(
    private: Private, tmp_path: Path, nginx_bin: str
) -> Iterator[tuple[Cluster, str, dict[str, str]]]:
    run = uuid.uuid4().hex[:8]
    urls = {s: f"{private.pg_url}/f{run}_{s}" for s in SLICE}

    async def create() -> None:
        for url in urls.values():
            await _scalar(f"{private.pg_url}/postgres", f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')

    asyncio.run(create())
    env = {
        **_kafka_env(private.bootstrap, f"f{run}."),
        "RESERVO_DATA_DIR": str(tmp_path),
        "RESERVO_JWT_KEYS_DIR": str(tmp_path / "keys"),
    }
    env.update({f"RESERVO_{s.upper()}_DATABASE_URL": u for s, u in urls.items()})
    with cluster(tmp_path, env) as c:
        c.migrate(*SLICE)
        settings_like = _Urls(urls)
        apis = start_services(c, settings_like, SLICE)  # type: ignore[arg-type]
        yield c, c.gateway(apis).url, urls


@dataclass
class _Urls:
    """Quacks like Settings for start_services: each service's own database URL."""

    urls: dict[str, str]

    def database_url_for(self, service: str) -> str:
        return self.urls[service]


def _book_through_an_outage(
    gw: str, outage: Any, down: threading.Event, total: int = 40, outage_after: int = 8
) -> tuple[int, int]:
    """Book `total` times, starting `outage` after a few; returns (201s, 201s while the engine was down)."""
    http = httpx.Client(base_url=gw, timeout=20)
    owner = open_tenant(http, "acme")
    # At once, both: catalog and booking ask the owner on a replica miss (read-your-writes, D9-1).
    created = http.post(
        "/api/v1/tenants/acme/offerings", json=payload("offering", capacity=1000), headers=owner
    )
    assert created.status_code == 201, created.text
    body = payload("booking", offering=created.json())
    first = http.post("/api/v1/tenants/acme/bookings", json=body)
    assert first.status_code == 201, first.text
    fault = threading.Thread(target=outage)
    ok = during = 0
    for i in range(total):
        if i == outage_after:
            fault.start()
        was_down = down.is_set()
        try:
            accepted = http.post("/api/v1/tenants/acme/bookings", json=body).status_code == 201
        except httpx.HTTPError:
            accepted = False
        ok += accepted
        during += accepted and was_down and down.is_set()
        time.sleep(0.25)
    fault.join()
    return ok + 1, during


async def _emails_match_bookings(urls: dict[str, str], outbox: Path, at_least: int) -> tuple[int, int, int]:
    bookings = "SELECT count(*) FROM bookings"
    emails = "SELECT count(*) FROM emails WHERE status = 'sent' AND template = 'booking_created'"

    async def settled() -> bool:
        try:
            b, e = await _scalar(urls["booking"], bookings), await _scalar(urls["notification"], emails)
        except (OSError, asyncpg.PostgresError):
            return False
        return bool(b >= at_least and e >= b)

    await eventually(settled, 180, 0.3, "every booking's email")
    await asyncio.sleep(2)
    return (
        await _scalar(urls["booking"], bookings),
        await _scalar(urls["notification"], "SELECT count(*) FROM emails WHERE template = 'booking_created'"),
        # The owner's sign-up also sent one email (address verification); count booking emails only.
        sum("To: owner@" not in p.read_text() for p in outbox.glob("*.eml")),
    )


class TestEngineRestarts:
    def test_kafka_restart_while_booking_loses_and_doubles_nothing(
        self, private: Private, private_slice: tuple[Cluster, str, dict[str, str]], tmp_path: Path
    ) -> None:
        c, gw, urls = private_slice

        down = threading.Event()

        def restart_kafka() -> None:
            private.sh("down", "kafka")
            down.set()
            time.sleep(3)
            down.clear()
            private.sh("up", "kafka")

        accepted, while_down = _book_through_an_outage(gw, restart_kafka, down)
        assert while_down > 0, "bookings were made while the broker was down"
        booked, emails, files = asyncio.run(_emails_match_bookings(urls, tmp_path / "outbox", accepted))
        assert booked == accepted, "the API never needed Kafka to accept a booking"
        assert (emails, files) == (booked, booked), "one email per booking: nothing lost, nothing doubled"
        assert all(p.alive() for p in c.procs)

    def test_postgres_restart_under_the_relays_loses_and_doubles_nothing(
        self, private: Private, private_slice: tuple[Cluster, str, dict[str, str]], tmp_path: Path
    ) -> None:
        c, gw, urls = private_slice

        down = threading.Event()

        def restart_postgres() -> None:
            private.sh("down", "postgres")
            down.set()
            time.sleep(3)
            down.clear()
            private.sh("up", "postgres")

        accepted, _ = _book_through_an_outage(gw, restart_postgres, down)
        booked, emails, files = asyncio.run(_emails_match_bookings(urls, tmp_path / "outbox", accepted))
        # A request cut off by the restart may have committed without a 201: count the database.
        assert booked >= accepted
        assert (emails, files) == (booked, booked), "one email per booking: nothing lost, nothing doubled"
        assert all(p.alive() for p in c.procs)
