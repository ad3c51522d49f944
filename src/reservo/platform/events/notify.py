"""Outbox wake-ups across processes on PostgreSQL: NOTIFY from the API processes, LISTEN in the relays.

An API process that does not run the relays (several API processes of `reservo serve`, or a
service's API apart from its worker) tells the relay's process that rows were committed, instead of
leaving them to the relay's poll. Each service has its own database and NOTIFY is per database, so
the notifier keeps one connection per service that publishes and the listener one per service
database. Notifications are a hint, never the record: the outbox rows are, and the relay still polls
(`relay_poll_seconds`) in case a notification is lost with a connection.

The notifier coalesces: pokes arriving while a NOTIFY is in flight are sent as one more afterwards,
so a burst of commits costs a couple of NOTIFYs, not one per commit, and a poke never waits.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping

import asyncpg
import structlog
from sqlalchemy.engine import make_url

log = structlog.get_logger(__name__)

CHANNEL = "reservo_outbox"


def asyncpg_dsn(url: str) -> str | None:
    """The plain libpq URL of a SQLAlchemy PostgreSQL URL; None for any other database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


class OutboxNotifier:
    """API side: `poke(service)` after a commit that wrote outbox rows (never blocks, never raises)."""

    def __init__(self, dsns: Mapping[str, str]) -> None:
        self._dsns = dict(dsns)
        self._pending: set[str] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._connections: dict[str, asyncpg.Connection] = {}

    def poke(self, service: str) -> None:
        if service not in self._dsns:
            return
        self._pending.add(service)
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-notifier")

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            services, self._pending = self._pending, set()
            for service in services:
                try:
                    conn = self._connections.get(service)
                    if conn is None or conn.is_closed():
                        conn = await asyncpg.connect(self._dsns[service])
                        self._connections[service] = conn
                    await conn.execute(f"NOTIFY {CHANNEL}, '{service}'")
                except (OSError, asyncpg.PostgresError) as exc:
                    log.warning("outbox.notify_failed", service=service, error=repr(exc))
                    self._connections.pop(service, None)  # the relay's poll picks the rows up

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for conn in self._connections.values():
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)
        self._connections.clear()


class OutboxListener:
    """Relay side: LISTEN on each service's database and call `wake(service)` on a notification."""

    def __init__(self, dsns: Mapping[str, str], wake: Callable[[str], None]) -> None:
        self._dsns = dict(dsns)
        self._wake = wake
        self._connections: list[asyncpg.Connection] = []

    def _on_notification(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._wake(payload)

    async def start(self) -> None:
        for service, dsn in self._dsns.items():
            try:
                conn = await asyncpg.connect(dsn)
                await conn.add_listener(CHANNEL, self._on_notification)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("outbox.listen_failed", service=service, error=repr(exc))
                continue
            self._connections.append(conn)

    async def aclose(self) -> None:
        for conn in self._connections:
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)
        self._connections.clear()
