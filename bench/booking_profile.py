"""Where the time of one booking creation goes: cProfile around N sequential requests, in process.

    .venv/bin/python bench/booking_profile.py --db postgres [--n 300] [--top 30]

The app runs in this process (httpx ASGI transport, no sockets), so the profile shows the server's
own work: routing, validation, SQLAlchemy, the driver, the outbox row, the response.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import shutil
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from _common import PG_URL, open_tenant, pg_execute

from reservo.app import create_app
from reservo.platform.config import Settings
from reservo.platform.db.migrate import upgrade
from reservo.platform.runtime import Runtime
from reservo.services import pick

SERVICES = ["user", "catalog", "booking"]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--no-relay", action="store_true", help="stop the outbox relays before measuring (request cost alone)"
    )
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    # Every request comes from one address: lift booking's per-address limit of unpaid holds.
    os.environ.setdefault("RESERVO_BOOKING_MAX_HOLDS_PER_CLIENT", "100000000")
    folder = Path(tempfile.mkdtemp(prefix="reservo-profile-"))
    kwargs: dict[str, object] = {"data_dir": folder, "log_level": "WARNING"}
    if args.db == "postgres":
        base = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        kwargs["database_url"] = f"{base}/prof_{run}_{{service}}"
        for s in SERVICES:
            await pg_execute(f'CREATE DATABASE "prof_{run}_{s}"')
    settings = Settings(**kwargs)  # type: ignore[arg-type]
    specs = pick(SERVICES)
    for spec in specs:
        await upgrade(spec, settings.database_url_for(spec.name))
    runtime = Runtime(settings, specs)
    app = create_app(specs, settings, runtime=runtime)
    await runtime.start(workers=True)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
    try:
        tenant = {"name": "Bench", "slug": "bench", "timezone": "Europe/Berlin", "currency": "EUR"}
        owner = await open_tenant(client, tenant)
        for relay in runtime.relays.values():
            await relay.drain()
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
        session = {
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "capacity": 100_000,
        }
        show = {
            "kind": "event",
            "name": "Gala",
            "price": {"amount": 2500, "currency": "EUR"},
            "sessions": [session],
        }
        created = await client.post("/api/v1/tenants/bench/offerings", json=show, headers=owner)
        assert created.status_code == 201, created.text  # at once: read-your-writes (D9-1)
        body = {
            "offering_id": created.json()["id"],
            "start": created.json()["sessions"][0]["start"],
            "customer": {"name": "B", "email": "b@example.com"},
        }
        first = await client.post("/api/v1/tenants/bench/bookings", json=body)
        assert first.status_code == 201, first.text
        if args.no_relay:
            for relay in runtime.relays.values():
                relay.stop()
            await asyncio.sleep(1.5)
        profiler = cProfile.Profile()
        t0 = time.perf_counter()
        profiler.enable()
        refused = 0
        for i in range(args.n):  # a guest each: an address holds at most a few unpaid bookings
            guest = {**body, "customer": {"name": "B", "email": f"b{i}@example.com"}}
            refused += (await client.post("/api/v1/tenants/bench/bookings", json=guest)).status_code != 201
        profiler.disable()
        elapsed = time.perf_counter() - t0
        print(
            f"{args.db}: {args.n} bookings in {elapsed:.2f} s = {elapsed / args.n * 1000:.2f} ms each (profiled), {refused} refused"
        )
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    finally:
        await client.aclose()
        await runtime.stop()
        shutil.rmtree(folder, ignore_errors=True)
        if args.db == "postgres":
            for s in SERVICES:
                await pg_execute(f'DROP DATABASE IF EXISTS "prof_{run}_{s}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
