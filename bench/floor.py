"""The floor under any Python booking endpoint on this machine: what the stack itself costs.

    eval "$(scripts/services.sh env)"
    .venv/bin/python bench/floor.py [--requests 4000] [--clients 16]

Three minimal apps, each served by one uvicorn process (uvloop, httptools, as `reservo serve` runs),
driven like bench/ceiling.py drives Reservo (aiohttp, keep-alive, the same JSON body):

1. `empty`: a raw ASGI app that answers 201 with a fixed body (uvicorn + the HTTP parser only);
2. `fastapi`: a FastAPI route that validates a booking-shaped Pydantic body and answers a
   Pydantic model (no middleware, no database);
3. `fastapi+asyncpg`: the same route running the raw booking transaction of bench/ceiling.py as one
   data-modifying statement (claim the counter, insert the booking, insert the outbox row) with a
   prepared asyncpg statement in autocommit: one round trip, no ORM.

It prints requests/s and the server's CPU ms per request. Reservo does more per booking than (3)
(offering rules, hold limits, tenancy, events consumed by six services, an email), so (3) bounds what
any design of the same stack reaches on one core; the share of the raw-transaction ceiling that a
Python API can reach follows from it (bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import aiohttp
import psutil
from _common import PG_URL, pct, pg_execute
from _plans import gala_start

APP = textwrap.dedent(
    '''
    import os, uuid, json
    from datetime import datetime
    import asyncpg
    from fastapi import FastAPI
    from pydantic import BaseModel, EmailStr

    KIND = os.environ["FLOOR_KIND"]

    async def empty(scope, receive, send):
        if scope["type"] != "http":
            return
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 201,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"id":"x","status":"pending"}'})

    class Customer(BaseModel):
        name: str
        email: EmailStr

    class BookingCreate(BaseModel):
        offering_id: uuid.UUID
        start: datetime | None = None
        quantity: int = 1
        customer: Customer

    class BookingRead(BaseModel):
        id: uuid.UUID
        offering_id: uuid.UUID
        status: str
        quantity: int
        customer: Customer

    SQL = """
    WITH claim AS (
        UPDATE slots SET taken = taken + $2 WHERE id = 1 AND taken + $2 <= capacity RETURNING id),
    booking AS (
        INSERT INTO bookings (id, slot_id, quantity, email, status)
        SELECT $1, id, $2, $3, 'held' FROM claim RETURNING id),
    outbox AS (
        INSERT INTO outbox (topic, envelope) SELECT 'booking', $4::jsonb FROM booking RETURNING position)
    SELECT (SELECT id FROM booking)
    """

    app = FastAPI()
    pool = None

    @app.on_event("startup")
    async def start():
        global pool
        if KIND == "fastapi+asyncpg":
            pool = await asyncpg.create_pool(os.environ["FLOOR_DSN"], min_size=4, max_size=16)

    @app.post("/bookings", status_code=201)
    async def book(body: BookingCreate) -> BookingRead:
        booking_id = uuid.uuid4()
        if pool is not None:
            envelope = json.dumps({"id": str(booking_id), "type": "booking.created",
                                   "data": body.model_dump(mode="json")})
            async with pool.acquire() as conn:
                if await conn.fetchval(SQL, booking_id, body.quantity, body.customer.email, envelope) is None:
                    raise RuntimeError("sold out")
        return BookingRead(id=booking_id, offering_id=body.offering_id, status="pending",
                           quantity=body.quantity, customer=body.customer)

    def factory():
        return empty if KIND == "empty" else app
    '''
)

SCHEMA = """
CREATE TABLE slots (id int PRIMARY KEY, taken int NOT NULL DEFAULT 0, capacity int NOT NULL);
CREATE TABLE bookings (
    id uuid PRIMARY KEY, slot_id int NOT NULL, quantity int NOT NULL,
    email text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE outbox (
    position bigserial PRIMARY KEY, topic text NOT NULL, envelope jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz);
CREATE INDEX outbox_unsent ON outbox (position) WHERE sent_at IS NULL;
INSERT INTO slots (id, capacity) VALUES (1, 1000000000);
"""


async def drive(port: int, clients: int, total: int) -> tuple[float, float, float]:
    body = {
        "offering_id": str(uuid.uuid4()),
        "start": gala_start().isoformat(),
        "quantity": 1,
        "customer": {"name": "Guest", "email": "guest@example.com"},
    }
    url = f"http://127.0.0.1:{port}/bookings"
    latencies: list[float] = []
    numbers = iter(range(total))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as http:
        deadline = time.monotonic() + 30
        while True:
            try:
                async with http.post(url, json=body) as response:
                    assert response.status == 201, await response.text()
                    break
            except aiohttp.ClientConnectionError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)  # uvicorn still starting

        async def client() -> None:
            for _ in numbers:
                t0 = time.perf_counter()
                async with http.post(url, json=body) as response:
                    await response.read()
                    assert response.status == 201
                latencies.append((time.perf_counter() - t0) * 1000)

        t0 = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - t0
    return total / elapsed, pct(latencies, 50), pct(latencies, 95)


async def run(kind: str, dsn: str, port: int, clients: int, total: int, folder: Path) -> str:
    env = {**os.environ, "FLOOR_KIND": kind, "FLOOR_DSN": dsn, "PYTHONPATH": str(folder)}
    command = [
        sys.executable, "-m", "uvicorn", "floorapp:factory", "--factory", "--port", str(port),
        "--log-level", "warning", "--no-access-log", "--loop", "uvloop", "--http", "httptools",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)  # noqa: ASYNC220
    try:
        server = psutil.Process(process.pid)
        await drive(port, clients, 200)  # warm-up (and wait until it listens)
        cpu0 = sum(server.cpu_times()[:2])
        rps, p50, p95 = await drive(port, clients, total)
        cpu = sum(server.cpu_times()[:2]) - cpu0
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 30)
    return f"| {kind} | {clients} | {rps:,.0f} | {p50:.1f} | {p95:.1f} | {cpu / total * 1000:.2f} |"


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=18195)
    args = parser.parse_args()
    database = f"floor_{uuid.uuid4().hex[:8]}"
    await pg_execute(f'CREATE DATABASE "{database}"')
    dsn = PG_URL.rsplit("/", 1)[0] + f"/{database}"
    import asyncpg

    conn = await asyncpg.connect(dsn)
    await conn.execute(SCHEMA)
    await conn.close()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "floorapp.py").write_text(APP)
        try:
            for kind in ("empty", "fastapi", "fastapi+asyncpg"):
                rows.append(await run(kind, dsn, args.port, args.clients, args.requests, Path(folder)))
        finally:
            await pg_execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    print(f"one uvicorn process, {args.requests} requests, load average {os.getloadavg()[0]:.2f}\n")
    print("| app | clients | requests/s | p50 ms | p95 ms | server CPU ms/request |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    asyncio.run(main())
