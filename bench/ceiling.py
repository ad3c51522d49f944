"""Booking through `reservo serve` against the raw booking transaction, on the same PostgreSQL, in one run.

    eval "$(scripts/services.sh env)"
    .venv/bin/python bench/ceiling.py                       # the set `make bench` runs
    .venv/bin/python bench/ceiling.py --reservo /tmp/main/.venv/bin/reservo   # another checkout (A/B)

For each load (one hot session or 64 sessions, at 16 and 64 clients) it runs, back to back:

1. the ceiling: pgbench, prepared statements, the raw booking transaction (claim the counter with
   `UPDATE slots SET taken = taken + 1 WHERE id = :slot AND taken + 1 <= capacity`, INSERT the booking,
   INSERT an outbox row of the size of a real envelope; one transaction), `--seconds` long;
2. Reservo: `--bookings` guest bookings through HTTP (aiohttp, keep-alive, no Idempotency-Key)
   against `reservo serve` with all services on PostgreSQL (its defaults, no flags), and waits until
   the confirmation email of every booking is in the outbox folder.

It prints bookings/s (HTTP answers), p50/p95, the share of the ceiling, the seconds until the last
email, and the CPU seconds of the server processes (the serve process and its children) per booking,
counted from the first request until the last email. Then availability (10 resources, 30 days,
`--claims` appointments booked on it first) with 16 concurrent clients: server time from
`Server-Timing` (the whole request inside the app, D15-65), client time, and the server processes'
CPU per request. `--db sqlite` runs the HTTP part on the
embedded default (SQLite files) for comparison with the PostgreSQL figure of the same run.

The one setting it changes from the defaults is the per-client limit of unpaid holds (every request
comes from 127.0.0.1; RESERVO_BOOKING_MAX_HOLDS_PER_CLIENT). Every guest uses its own email address.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import psutil
from _common import PG_URL, pct, pg_execute
from _plans import gala, gala_start

ROOT = Path(__file__).resolve().parents[1]
ALL = [
    "user",
    "catalog",
    "location",
    "booking",
    "payment",
    "notification",
    "receipt",
    "analytics",
    "integration",
    "admin",
]
SQLCOUNT = Path(__file__).resolve().parent / "_sqlcount"
ENVELOPE = json.dumps({"pad": "x" * 900})  # a booking.created envelope is about 1 kB


# --- the ceiling: pgbench ------------------------------------------------------------------------

CEILING_SCHEMA = """
CREATE TABLE slots (id int PRIMARY KEY, taken int NOT NULL DEFAULT 0, capacity int NOT NULL);
CREATE TABLE bookings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), slot_id int NOT NULL, quantity int NOT NULL,
    email text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE outbox (
    position bigserial PRIMARY KEY, topic text NOT NULL, envelope jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz);
CREATE INDEX outbox_unsent ON outbox (position) WHERE sent_at IS NULL;
INSERT INTO slots (id, capacity) SELECT g, 1000000000 FROM generate_series(1, 64) g;
"""

CEILING_TX = """\\set slot {slot}
BEGIN;
UPDATE slots SET taken = taken + 1 WHERE id = :slot AND taken + 1 <= capacity;
INSERT INTO bookings (slot_id, quantity, email, status) VALUES (:slot, 1, 'guest@example.com', 'held');
INSERT INTO outbox (topic, envelope) VALUES ('booking', '{envelope}');
END;
"""


def pgbench_binary() -> str:
    found = shutil.which("pgbench")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pgbench"))
    if not candidates:
        raise SystemExit("pgbench not found (Debian's postgresql package ships it)")
    return str(candidates[-1])


async def ceiling(database: str, sessions: int, clients: int, seconds: int) -> float:
    """Transactions per second of the raw booking transaction (pgbench, prepared)."""
    slot = "1" if sessions == 1 else f"random(1, {sessions})"
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(CEILING_TX.format(slot=slot, envelope=ENVELOPE))
    url = urlsplit(PG_URL)
    command = [
        pgbench_binary(),
        *("-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"),
        *("-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(seconds), "-f", script.name),
        database,
    ]
    done = await asyncio.to_thread(subprocess.run, command, capture_output=True, text=True)
    os.unlink(script.name)
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"pgbench failed: {done.stdout}\n{done.stderr}")
    return float(match.group(1))


# --- Reservo over HTTP -----------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    outbox: Path
    base: str
    sqlcount: Path
    seen: dict[str, bool] = field(default_factory=dict)  # email file -> is a guest's confirmation
    known: set[psutil.Process] = field(default_factory=set)

    def cpu_seconds(self) -> tuple[float, float, float]:
        """CPU of the serve process and every child it has, and the parts of it in the API processes
        (those holding the listening socket) and in the relay/consumer process (the spawned child
        that does not listen); the rest is uvicorn's supervisor. Children that exited are not
        counted after they exit, so the tree is read anew at each call."""
        try:
            root = psutil.Process(self.process.pid)
            children = root.children()
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0, 0.0, 0.0
        total = api = relay = 0.0
        port = int(self.base.rsplit(":", 1)[1])
        for proc in tree:
            try:
                times = proc.cpu_times()
                listening = any(
                    c.status == psutil.CONN_LISTEN and c.laddr.port == port
                    for c in proc.net_connections(kind="tcp")
                )
                spawned = proc in children and "spawn_main" in " ".join(proc.cmdline())
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
            if listening and (proc is not root or len(tree) == 1):  # uvicorn's supervisor listens too
                api += times.user + times.system
            elif spawned and not listening:
                relay += times.user + times.system
        return total, api, relay

    def sql_counts(self) -> Counter[str]:
        """Statements sent so far by every server process, per "service KIND" (bench/_sqlcount)."""
        total: Counter[str] = Counter()
        for path in self.sqlcount.glob("*.json"):
            with contextlib.suppress(OSError, ValueError):
                total.update(json.loads(path.read_text()))
        return total

    def emails(self) -> int:
        """Confirmation emails to guests so far (staff get a new-booking note too: not counted)."""
        if not self.outbox.exists():
            return 0
        for path in self.outbox.glob("*.eml"):
            if path.name not in self.seen:
                with path.open("rb") as message:
                    head = message.read(4096).split(b"\n\n", 1)[0]
                    to = re.search(rb"^To: (.*)$", head, re.MULTILINE)
                    self.seen[path.name] = to is not None and b"@example.com" in to.group(1)
        return sum(self.seen.values())


def environment(db: str, run: str, folder: Path, redis: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "RESERVO_DATA_DIR": str(folder),
        "RESERVO_ENVIRONMENT": "development",
        "RESERVO_BOOKING_MAX_HOLDS_PER_CLIENT": "100000000",
        # Statement counter of every server process (bench/_sqlcount/sitecustomize.py).
        "RESERVO_BENCH_SQLCOUNT": str(folder / "sqlcount"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SQLCOUNT), os.environ.get("PYTHONPATH")])),
    }
    if db == "postgres":
        base = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        env["RESERVO_DATABASE_URL"] = f"{base}/bench_{run}_{{service}}"
    if redis and db == "postgres":  # a PostgreSQL deployment with its Redis, as scripts/services.sh runs
        env["RESERVO_REDIS_URL"] = redis
        env["RESERVO_REDIS_PREFIX"] = f"bench-{run}:"
    return env


async def start_server(
    reservo: str, db: str, run: str, port: int, redis: str | None, extra: list[str]
) -> tuple[Server, Path]:
    folder = Path(tempfile.mkdtemp(prefix="reservo-ceiling-"))
    env = environment(db, run, folder, redis)
    (folder / "sqlcount").mkdir()
    if db == "postgres":
        for s in ALL:
            await pg_execute(f'CREATE DATABASE "bench_{run}_{s}"')
    migrate = [reservo, "migrate"]
    await asyncio.to_thread(subprocess.run, migrate, env=env, check=True, cwd=ROOT, capture_output=True)
    process = subprocess.Popen(  # noqa: ASYNC220
        [reservo, "serve", "--port", str(port), *extra], env=env, cwd=ROOT, stderr=subprocess.DEVNULL
    )
    return Server(process, folder / "outbox", f"http://127.0.0.1:{port}", folder / "sqlcount"), folder


async def stop_server(server: Server, db: str, run: str, folder: Path) -> None:
    server.process.terminate()
    await asyncio.to_thread(server.process.wait, 60)
    shutil.rmtree(folder, ignore_errors=True)
    if db == "postgres":
        for s in ALL:
            await pg_execute(f'DROP DATABASE IF EXISTS "bench_{run}_{s}" WITH (FORCE)')


async def call(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any, dict[str, str]]:
    async with http.request(method, url, **kwargs) as response:
        body = await response.json(content_type=None) if response.content_length != 0 else None
        return response.status, body, dict(response.headers)


async def wait_ready(http: aiohttp.ClientSession, server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("reservo serve exited")
        try:
            if (await call(http, "GET", f"{server.base}/readyz"))[0] == 200:
                return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.3)
    raise RuntimeError("server did not become ready")


def _day(offset: int) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).date().isoformat()


async def setup(http: aiohttp.ClientSession, base: str) -> tuple[str, str, list[str]]:
    """A tenant (owner signs up), a service with 10 resources and an event with 64 sessions."""
    account = {"email": "owner@bench.example", "password": "correct horse battery", "name": "Owner"}
    status, pair, _ = await call(http, "POST", f"{base}/api/v1/auth/register", json=account)
    assert status == 201, pair
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    tenant = {"name": "Bench", "slug": "bench", "timezone": "Europe/Berlin", "currency": "EUR"}
    status, body, _ = await call(http, "POST", f"{base}/api/v1/tenants", json=tenant, headers=headers)
    assert status == 201, body
    refresh = {"refresh_token": pair["refresh_token"]}
    status, body, _ = await call(http, "POST", f"{base}/api/v1/auth/refresh", json=refresh)
    assert status == 200, body
    owner = {"Authorization": f"Bearer {body['access_token']}"}
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
    url = f"{base}/api/v1/tenants/bench/offerings"
    status, created, _ = await call(http, "POST", url, json=service, headers=owner)
    assert status == 201, created
    status, event, _ = await call(http, "POST", url, json=gala(gala_start()), headers=owner)
    assert status == 201, event
    return created["id"], event["id"], [s["start"] for s in event["sessions"]]


@dataclass
class Outcome:
    rps: float
    p50: float
    p95: float
    errors: int
    emails_after: float
    cpu_per_booking_ms: float
    api_cpu_per_booking_ms: float  # of which the API processes
    relay_cpu_per_booking_ms: float = 0.0  # of which the relays' process (relays, consumers, jobs)
    statements: dict[str, float] = field(default_factory=dict)  # "service KIND" -> count per booking

    @property
    def statements_per_booking(self) -> float:
        return sum(self.statements.values())


async def book(
    http: aiohttp.ClientSession,
    server: Server,
    offering: str,
    starts: list[str],
    clients: int,
    total: int,
    first: int,
) -> Outcome:
    """`total` guest bookings from `clients` concurrent clients; then wait for every email."""
    latencies: list[float] = []
    errors = 0
    numbers = iter(range(first, first + total))
    url = f"{server.base}/api/v1/tenants/bench/bookings"
    emails_before = server.emails()

    async def client() -> None:
        nonlocal errors
        for i in numbers:
            body = {
                "offering_id": offering,
                "start": starts[i % len(starts)],
                "quantity": 1,
                "customer": {"name": "Guest", "email": f"guest{i}@example.com"},
            }
            t0 = time.perf_counter()
            async with http.post(url, json=body) as response:
                await response.read()
                if response.status != 201:
                    errors += 1
            latencies.append((time.perf_counter() - t0) * 1000)

    cpu0 = server.cpu_seconds()
    sql0 = server.sql_counts()
    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    answered = time.perf_counter() - t0
    deadline = time.monotonic() + 300
    while server.emails() - emails_before < total - errors and time.monotonic() < deadline:  # noqa: ASYNC110 (files appear in another process)
        await asyncio.sleep(0.05)
    drained = time.perf_counter() - t0
    cpu1 = server.cpu_seconds()
    cpu, api_cpu, relay = (after - before for after, before in zip(cpu1, cpu0, strict=True))
    await asyncio.sleep(0.6)  # the counters are written four times a second
    sql = server.sql_counts()
    sql.subtract(sql0)
    missing = total - errors - (server.emails() - emails_before)
    if missing:
        print(f"  !! {missing} confirmation email(s) missing after 300 s", file=sys.stderr)
    return Outcome(
        rps=total / answered,
        p50=pct(latencies, 50),
        p95=pct(latencies, 95),
        errors=errors + max(0, missing),
        emails_after=drained,
        cpu_per_booking_ms=cpu / total * 1000,
        api_cpu_per_booking_ms=api_cpu / total * 1000,
        relay_cpu_per_booking_ms=relay / total * 1000,
        statements={k: v / total for k, v in sql.items() if v > 0},
    )


@dataclass
class Availability:
    p50: float  # server time (Server-Timing), ms
    p95: float
    client_p95: float
    slots: int
    claims: int  # appointments booked on the service before the reads
    cpu_ms: float  # server processes' CPU seconds during the reads / requests, in ms
    api_cpu_ms: float  # of which the API processes


async def availability(
    http: aiohttp.ClientSession, server: Server, offering: str, clients: int, total: int, claims: int
) -> Availability:
    """`claims` guests book an appointment on the service first (so the answer shows claims, as a
    real week does), then `clients` concurrent clients ask the 30 days `total` times in all."""
    base = server.base
    url = f"{base}/api/v1/tenants/bench/offerings/{offering}/availability"
    params = {"from": _day(1), "to": _day(30)}
    status, body, _ = await call(http, "GET", url, params=params)
    assert status == 200, body
    every = max(1, len(body["slots"]) // max(claims, 1))
    for i, slot in enumerate(body["slots"][::every][:claims]):
        booking = {
            "offering_id": offering,
            "start": slot["start"],
            "customer": {"name": "Guest", "email": f"appointment{i}@example.com"},
        }
        status, created, _ = await call(http, "POST", f"{base}/api/v1/tenants/bench/bookings", json=booking)
        assert status == 201, created
    status, body, _ = await call(http, "GET", url, params=params)
    assert status == 200, body
    server_ms: list[float] = []
    wall: list[float] = []
    remaining = iter(range(total))

    async def client() -> None:
        for _ in remaining:
            t0 = time.perf_counter()
            async with http.get(url, params=params) as response:
                await response.read()
                wall.append((time.perf_counter() - t0) * 1000)
                server_ms.append(float(response.headers["server-timing"].split("dur=")[1]))

    cpu0 = server.cpu_seconds()
    await asyncio.gather(*(client() for _ in range(clients)))
    cpu1 = server.cpu_seconds()
    cpu, api_cpu, _ = (after - before for after, before in zip(cpu1, cpu0, strict=True))
    return Availability(
        pct(server_ms, 50),
        pct(server_ms, 95),
        pct(wall, 95),
        len(body["slots"]),
        claims,
        cpu / total * 1000,
        api_cpu / total * 1000,
    )


LOADS = {"hot": 1, "spread": 64}


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--reservo", default=str(Path(sys.executable).parent / "reservo"))
    parser.add_argument("--port", type=int, default=18180)
    parser.add_argument("--loads", default="hot:16,hot:64,spread:16,spread:64", help="sessions:clients")
    parser.add_argument("--bookings", type=int, default=1500, help="bookings per load")
    parser.add_argument("--seconds", type=int, default=10, help="pgbench duration per load")
    parser.add_argument("--availability", type=int, default=400, help="availability requests (0: skip)")
    parser.add_argument(
        "--claims", type=int, default=20, help="appointments booked on the service before availability"
    )
    parser.add_argument("--no-ceiling", action="store_true", help="HTTP only")
    parser.add_argument(
        "--redis",
        default=os.environ.get("RESERVO_TEST_REDIS_URL"),
        help="Redis for the PostgreSQL shape (default RESERVO_TEST_REDIS_URL; '' for none)",
    )
    parser.add_argument("--serve-args", default="", help="extra arguments of `reservo serve`")
    args = parser.parse_args()
    run = uuid.uuid4().hex[:8]
    ceiling_db = f"ceiling_{run}"
    with_ceiling = not args.no_ceiling and args.db == "postgres"
    if with_ceiling:
        await pg_execute(f'CREATE DATABASE "{ceiling_db}"')
        url = PG_URL.rsplit("/", 1)[0] + f"/{ceiling_db}"
        import asyncpg

        conn = await asyncpg.connect(url)
        await conn.execute(CEILING_SCHEMA)
        await conn.close()
    server, folder = await start_server(
        args.reservo, args.db, run, args.port, args.redis or None, args.serve_args.split()
    )
    connector = aiohttp.TCPConnector(limit=256)
    rows: list[tuple[str, int, float | None, Outcome]] = []
    avail: Availability | None = None
    load_before = os.getloadavg()
    try:
        async with aiohttp.ClientSession(connector=connector) as http:
            await wait_ready(http, server)
            service, show, starts = await setup(http, server.base)
            # The first bookings warm the caches and replicas; not counted.
            await book(http, server, show, starts, 4, 64, 0)
            first = 1000
            for item in args.loads.split(","):
                load, clients_text = item.split(":")
                sessions, clients = LOADS[load], int(clients_text)
                tps = await ceiling(ceiling_db, sessions, clients, args.seconds) if with_ceiling else None
                outcome = await book(http, server, show, starts[:sessions], clients, args.bookings, first)
                first += args.bookings
                rows.append((load, clients, tps, outcome))
                print(f"  {load} {clients}: ceiling {tps} tx/s, {outcome}", file=sys.stderr)
            if args.availability:
                avail = await availability(http, server, service, 16, args.availability, args.claims)
    finally:
        await stop_server(server, args.db, run, folder)
        if with_ceiling:
            await pg_execute(f'DROP DATABASE IF EXISTS "{ceiling_db}" WITH (FORCE)')
    print(
        f"## reservo serve {args.serve_args} ({args.db}{', Redis' if args.redis and args.db == 'postgres' else ''}), {args.reservo}\n"
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, nproc {os.cpu_count()}, load average before "
        f"{load_before[0]:.2f} / after {os.getloadavg()[0]:.2f} (1 min); {args.bookings} bookings per load\n"
    )
    print(
        "| load | clients | raw PostgreSQL tx/s | Reservo bookings/s | p50 ms | p95 ms | share | "
        "errors | all emails after s | server CPU ms/booking (API / relays) | SQL statements/booking |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for load, clients, tps, o in rows:
        sessions = "one hot session" if load == "hot" else "64 sessions"
        share = f"{o.rps / tps * 100:.1f} %" if tps else "-"
        ceiling_text = f"{tps:,.0f}" if tps else "-"
        print(
            f"| {sessions} | {clients} | {ceiling_text} | {o.rps:.1f} | {o.p50:.0f} | {o.p95:.0f} | {share} "
            f"| {o.errors} | {o.emails_after:.1f} | {o.cpu_per_booking_ms:.1f} ({o.api_cpu_per_booking_ms:.1f} / {o.relay_cpu_per_booking_ms:.1f}) | {o.statements_per_booking:.1f} |"
        )
    for load, clients, _, o in rows:
        detail = ", ".join(f"{k} {v:.2f}" for k, v in sorted(o.statements.items()) if v >= 0.005)
        print(f"\nstatements per booking ({load} {clients}; COMMIT/ROLLBACK included): {detail}")
    if avail is not None:
        print(
            f"\navailability (10 resources, 30 days, {avail.slots} slots, {avail.claims} booked), 16 clients, "
            f"{args.availability} requests: server p50 {avail.p50:.1f} ms, p95 {avail.p95:.1f} ms "
            f"(Server-Timing); client p95 {avail.client_p95:.1f} ms; server CPU {avail.cpu_ms:.2f} ms/request "
            f"(API {avail.api_cpu_ms:.2f})"
        )


if __name__ == "__main__":
    asyncio.run(main())
