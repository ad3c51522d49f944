"""`reservo worker <service>`: relays, consumers and periodic jobs of services, without the API.

SIGTERM (or SIGINT) stops it gracefully: relays and jobs finish the batch in hand, consumers commit
what they handled, then connections close. SIGKILL loses nothing either (outbox + inbox + offsets).
With a health port it answers `GET /healthz`, `GET /readyz` (database, bus, cache) and `/metrics`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import signal
from collections.abc import Sequence

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from reservo.platform.config import Settings
from reservo.platform.observability import configure_logging
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceSpec
from reservo.platform.tracing import configure_tracing, shutdown_tracing

log = structlog.get_logger(__name__)


async def _probe(runtime: Runtime, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        request = await asyncio.wait_for(reader.readline(), timeout=5)
        parts = request.decode("latin-1").split()
        path = parts[1] if len(parts) > 1 else ""
        body: dict[str, object]
        content_type = "application/json"
        if path == "/metrics":
            status, payload, content_type = 200, generate_latest(), CONTENT_TYPE_LATEST
        else:
            if path == "/healthz":
                status, body = 200, {"status": "ok"}
            elif path == "/readyz":
                status, body = await runtime.readiness()
            else:
                status, body = 404, {"status": "not found"}
            payload = json.dumps(body).encode()
        reason = {200: "OK", 404: "Not Found", 503: "Service Unavailable"}[status]
        writer.write(
            f"HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\n"
            f"content-length: {len(payload)}\r\nconnection: close\r\n\r\n".encode()
            + payload
        )
        await writer.drain()
    except (TimeoutError, ConnectionError):
        pass
    finally:
        writer.close()


# Young objects collected after this many allocations (the default is 700): a batch of events allocates
# tens of thousands that reference counting frees anyway, so collections ran hundreds of times a
# second and each walked what was in flight (D15-56).
GC_YOUNG_THRESHOLD = 10_000


def settle_heap() -> None:
    """What start-up made (modules, mappers, schemas, compiled statements) lives as long as the
    process: moved out of the collector's sight, a full collection no longer walks it (one took
    about 0.2 s of CPU in the relays' process under load), and young collections run less often."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


async def run_worker(
    specs: Sequence[ServiceSpec],
    settings: Settings,
    *,
    health_port: int | None = None,
    health_host: str = "127.0.0.1",
) -> None:
    configure_logging(settings.log_level, settings.log_json, service=",".join(s.name for s in specs))
    configure_tracing(",".join(s.name for s in specs))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runtime = Runtime(settings, specs)
    names = [s.name for s in specs]
    async with runtime.running(workers=True):
        server = None
        if health_port is not None:
            server = await asyncio.start_server(
                lambda r, w: _probe(runtime, r, w), host=health_host, port=health_port
            )
        log.info("worker.started", services=names, bus=settings.bus, health_port=health_port)
        settle_heap()
        await stop.wait()
        log.info("worker.stopping", services=names)
        if server is not None:
            server.close()
            await server.wait_closed()
    log.info("worker.stopped", services=names)
    shutdown_tracing()  # flush the spans still queued
