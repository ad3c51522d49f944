"""`reservo worker <service>`: relays, consumers and periodic jobs of services, without HTTP.

SIGTERM (or SIGINT) stops it gracefully: relays and jobs finish the batch in hand, consumers commit
what they handled, then connections close. SIGKILL loses nothing either (outbox + inbox + offsets).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Sequence

import structlog

from reservo.platform.config import Settings
from reservo.platform.observability import configure_logging
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceSpec

log = structlog.get_logger(__name__)


async def run_worker(specs: Sequence[ServiceSpec], settings: Settings) -> None:
    configure_logging(settings.log_level, settings.log_json)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runtime = Runtime(settings, specs)
    names = [s.name for s in specs]
    async with runtime.running(workers=True):
        log.info("worker.started", services=names, bus=settings.bus)
        await stop.wait()
        log.info("worker.stopping", services=names)
    log.info("worker.stopped", services=names)
