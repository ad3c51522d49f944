"""Booking benchmarks through the HTTP API of a real uvicorn server process.

    .venv/bin/python bench/booking_api.py --db postgres      # or --db sqlite

1. Availability of a service with 10 resources over 30 days: server-side time (the handler's
   `Server-Timing: app;dur=` header) and client-side latency, p50/p95.
2. Booking creation at concurrency 1, 16 and 64: throughput and p50/p95/p99 client latency. The
   bookings go round-robin to 64 sessions of an event (a busy box office), so concurrent requests
   do contend on counter rows, as real ones would, without all queueing on one row.

Fresh databases every run (SQLite files in a temp dir, or PostgreSQL databases bench_<run>_<service>
from RESERVO_TEST_POSTGRES_URL, dropped at the end). The server runs user, catalog and booking in one
process (the embedded shape), so the relays and the hold sweeper run as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from _common import PG_URL, open_tenant, pct, pg_execute
from _plans import gala, gala_start

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ["user", "catalog", "booking"]


def environment(db: str, run: str, folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "RESERVO_DATA_DIR": str(folder),
        "RESERVO_LOG_LEVEL": "WARNING",
        "RESERVO_ENVIRONMENT": "development",
        # Every request comes from 127.0.0.1: lift the per-address limit of unpaid holds.
        "RESERVO_BOOKING_MAX_HOLDS_PER_CLIENT": "100000000",
    }
    if db == "postgres":
        base = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        env["RESERVO_DATABASE_URL"] = f"{base}/bench_{run}_{{service}}"
    return env


async def wait_ready(client: httpx.AsyncClient, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if (await client.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("server did not start")


async def setup(client: httpx.AsyncClient) -> tuple[str, str, list[str]]:
    body = {"name": "Bench", "slug": "bench", "timezone": "Europe/Berlin", "currency": "EUR"}
    owner = await open_tenant(client, body)
    weekly = [
        {"weekday": d, "start": "08:00", "end": "20:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat")
    ]
    service = {
        "kind": "service",
        "name": "Massage",
        "price": {"amount": 6000, "currency": "EUR"},
        "duration_minutes": 45,
        "buffer_after_minutes": 15,
        "schedule": {"weekly": weekly, "exceptions": [{"date": _day(10), "closed": True}]},
        "resources": [{"name": f"Therapist {i}"} for i in range(10)],
    }
    created = await client.post("/api/v1/tenants/bench/offerings", json=service, headers=owner)
    assert created.status_code == 201, created.text
    created_event = await client.post(
        "/api/v1/tenants/bench/offerings", json=gala(gala_start()), headers=owner
    )
    assert created_event.status_code == 201, created_event.text
    starts = [s["start"] for s in created_event.json()["sessions"]]
    return created.json()["id"], created_event.json()["id"], starts


def _day(offset: int) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).date().isoformat()


async def bench_availability(client: httpx.AsyncClient, offering: str, n: int) -> dict[str, float]:
    url = f"/api/v1/tenants/bench/offerings/{offering}/availability"
    params = {"from": _day(1), "to": _day(30)}
    first = await client.get(url, params=params)
    assert first.status_code == 200, first.text
    slots = len(first.json()["slots"])
    server: list[float] = []
    wall: list[float] = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = await client.get(url, params=params)
        wall.append((time.perf_counter() - t0) * 1000)
        server.append(float(response.headers["server-timing"].split("dur=")[1]))
    return {
        "slots": slots,
        "server_p50": pct(server, 50),
        "server_p95": pct(server, 95),
        "client_p50": pct(wall, 50),
        "client_p95": pct(wall, 95),
    }


async def bench_bookings(
    clients: list[httpx.AsyncClient], offering: str, starts: list[str], concurrency: int, total: int
) -> dict[str, float]:
    """Workers share a counter of requests; request i goes to server i mod len(clients)."""
    latencies: list[float] = []
    server: list[float] = []
    failures = 0
    counter = iter(range(total))

    async def worker() -> None:
        nonlocal failures
        for i in counter:
            body = {
                "offering_id": offering,
                "start": starts[i % len(starts)],
                "quantity": 1,
                "customer": {"name": "Bench", "email": f"b{i}@example.com"},
            }
            t0 = time.perf_counter()
            response = await clients[i % len(clients)].post("/api/v1/tenants/bench/bookings", json=body)
            latencies.append((time.perf_counter() - t0) * 1000)
            if "server-timing" in response.headers:
                server.append(float(response.headers["server-timing"].split("dur=")[1]))
            if response.status_code != 201:
                failures += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - t0
    return {
        "concurrency": concurrency,
        "requests": total,
        "failures": failures,
        "rps": total / elapsed,
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "server_p50": pct(server, 50),
        "server_p95": pct(server, 95),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--availability-requests", type=int, default=200)
    parser.add_argument("--bookings", type=int, default=600, help="requests per concurrency level")
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--profile", metavar="FILE", help="run the server under cProfile, stats to FILE")
    parser.add_argument(
        "--servers", type=int, default=1, help="server processes on the same databases (ports port..port+N-1)"
    )
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    folder = Path(tempfile.mkdtemp(prefix="reservo-bench-"))
    env = environment(args.db, run, folder)
    if args.db == "postgres":
        for s in SERVICES:
            await pg_execute(f'CREATE DATABASE "bench_{run}_{s}"')
    reservo = str(Path(sys.executable).parent / "reservo")
    subprocess.run([reservo, "migrate", *SERVICES], env=env, check=True, cwd=ROOT, capture_output=True)  # noqa: ASYNC221
    servers = []
    for n in range(args.servers):
        command = [reservo, "serve", *SERVICES, "--port", str(args.port + n)]
        if args.profile and n == 0:
            command = [sys.executable, str(ROOT / "bench" / "_profiled_serve.py"), args.profile, *command[1:]]
        servers.append(subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL))  # noqa: ASYNC220
    limits = httpx.Limits(max_connections=128, max_keepalive_connections=128)
    clients = [
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{args.port + n}", limits=limits, timeout=60)
        for n in range(args.servers)
    ]
    try:
        async with clients[0] as client:
            for other in clients:
                await wait_ready(other)
            service, show, starts = await setup(client)
            avail = await bench_availability(client, service, args.availability_requests)
            rows = [
                await bench_bookings(clients, show, starts, int(c), args.bookings)
                for c in args.concurrency.split(",")
            ]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        for c in clients[1:]:
            await c.aclose()
        shutil.rmtree(folder, ignore_errors=True)
        if args.db == "postgres":
            for s in SERVICES:
                await pg_execute(f'DROP DATABASE IF EXISTS "bench_{run}_{s}" WITH (FORCE)')
    print(f"## {args.db}, {args.servers} server process(es)  (load average at the end: {os.getloadavg()})")
    print(
        f"availability, 10 resources, 30 days ({avail['slots']:.0f} slots), {args.availability_requests} requests: "
        f"server p50 {avail['server_p50']:.2f} ms, p95 {avail['server_p95']:.2f} ms; "
        f"client p50 {avail['client_p50']:.2f} ms, p95 {avail['client_p95']:.2f} ms"
    )
    print("| concurrency | requests | non-201 | req/s | p50 ms | p95 ms | p99 ms | handler p50 / p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['concurrency']:.0f} | {r['requests']:.0f} | {r['failures']:.0f} | {r['rps']:.0f} "
            f"| {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} "
            f"| {r['server_p50']:.1f} / {r['server_p95']:.1f} |"
        )


if __name__ == "__main__":
    asyncio.run(main())
