"""`reservo serve` all-in-one on PostgreSQL (user, catalog, booking) with two API processes: a
booking answered 201 by one process, and its cancellation, show in the very next availability answer
of the other process, which kept the claims it had read while no generation moved (D15-66)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psutil  # type: ignore[import-untyped]  # no stubs; a dev dependency (bench)
import pytest

from reservo.platform.config import Settings
from tests.conftest import IN_CI
from tests.distributed.procs import RESERVO, TEST_DEFAULTS, Proc, free_port

REDIS_URL = os.environ.get("RESERVO_TEST_REDIS_URL", "redis://127.0.0.1:56379/0")
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY = (date.today() + timedelta(days=8)).isoformat()  # a real clock runs these processes


@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def serve(settings: Settings, tmp_path: Path) -> Iterator[Proc]:
    host, port = REDIS_URL.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
    except OSError:
        if IN_CI:
            pytest.fail(f"Redis not reachable at {REDIS_URL} (CI=true: engines are required)")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    env = {
        **os.environ,
        **TEST_DEFAULTS,
        "RESERVO_DATABASE_URL": settings.database_url or "",
        "RESERVO_DATA_DIR": str(tmp_path),
        "RESERVO_REDIS_URL": REDIS_URL,
        "RESERVO_REDIS_PREFIX": f"t{uuid.uuid4().hex[:10]}:",
        "RESERVO_BUS": "inprocess",
        "RESERVO_ENVIRONMENT": "development",
        # The kept claims are read again after this long anyway: an hour, so that only the
        # generations can make the other process's answer fresh.
        "RESERVO_BOOKING_CLAIMS_MAX_AGE_SECONDS": "3600",
    }
    port_ = free_port()
    argv = [RESERVO, "serve", "user", "catalog", "booking", "--processes", "2", "--port", str(port_)]
    proc = Proc("serve", argv, env, tmp_path / "serve.log", port_).start()
    try:
        proc.wait_http("/readyz", timeout=180)
        yield proc
    finally:
        proc.stop()


def _process_of(serve: Proc, response: httpx.Response) -> int:
    """The pid of the API process that answered on this response's connection."""
    _, local_port = response.extensions["network_stream"].get_extra_info("client_addr")
    assert serve.popen is not None
    for child in psutil.Process(serve.popen.pid).children(recursive=True):
        for conn in child.net_connections(kind="tcp"):
            if conn.raddr and conn.raddr.port == local_port and conn.laddr.port == serve.port:
                return int(child.pid)
    raise AssertionError(f"no server process holds the connection from port {local_port}")


async def _owner(http: httpx.AsyncClient) -> dict[str, str]:
    account = {"email": "owner@acme.example", "password": "correct horse battery", "name": "Owner"}
    pair = (await http.post("/api/v1/auth/register", json=account)).json()
    tenant = {"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"}
    made = await http.post(
        "/api/v1/tenants", json=tenant, headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert made.status_code == 201, made.text
    refreshed = await http.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    return {"Authorization": f"Bearer {refreshed.json()['access_token']}"}


async def _clients(
    serve: Proc, path: str
) -> tuple[httpx.AsyncClient, httpx.AsyncClient, list[httpx.AsyncClient]]:
    """Two clients of one keep-alive connection each, answered by different API processes."""
    opened: list[httpx.AsyncClient] = []
    by_process: dict[int, httpx.AsyncClient] = {}
    for _ in range(40):
        client = httpx.AsyncClient(base_url=serve.url, limits=httpx.Limits(max_connections=1), timeout=30)
        opened.append(client)
        response = await client.get(path, params={"from": DAY, "to": DAY})
        assert response.status_code == 200, response.text
        by_process.setdefault(_process_of(serve, response), client)
        if len(by_process) == 2:
            one, other = by_process.values()
            return one, other, opened
    raise AssertionError("every connection went to one API process")


async def test_a_booking_through_one_process_shows_at_once_in_the_other(serve: Proc) -> None:
    async with httpx.AsyncClient(base_url=serve.url, timeout=30) as http:
        owner = await _owner(http)
        service: dict[str, Any] = {
            "kind": "service",
            "name": "Massage",
            "price": {"amount": 6000, "currency": "EUR"},
            "duration_minutes": 60,
            "schedule": {"weekly": [{"weekday": d, "start": "09:00", "end": "11:00"} for d in WEEK]},
            "resources": [{"name": "Kim"}],
        }
        created = await http.post("/api/v1/tenants/acme/offerings", json=service, headers=owner)
        assert created.status_code == 201, created.text
    path = f"/api/v1/tenants/acme/offerings/{created.json()['id']}/availability"
    booker, reader, opened = await _clients(serve, path)
    try:

        async def remaining() -> list[int]:
            response = await reader.get(path, params={"from": DAY, "to": DAY})
            assert response.status_code == 200, response.text
            return [s["remaining"] for s in response.json()["slots"]]

        assert await remaining() == [1, 1]  # the reader's process keeps these claims now
        assert await remaining() == [1, 1]
        first = (await reader.get(path, params={"from": DAY, "to": DAY})).json()["slots"][0]["start"]
        booking = {
            "offering_id": created.json()["id"],
            "start": first,
            "customer": {"name": "Guest", "email": "guest@example.com"},
        }
        booked = await booker.post("/api/v1/tenants/acme/bookings", json=booking)
        assert booked.status_code == 201, booked.text
        assert await remaining() == [0, 1]
        cancelled = await booker.post(
            f"/api/v1/tenants/acme/bookings/{booked.json()['id']}/cancel",
            headers={"X-Booking-Token": booked.json()["access_token"]},
        )
        assert cancelled.status_code == 200, cancelled.text
        assert await remaining() == [1, 1]
    finally:
        for client in opened:
            await client.aclose()
