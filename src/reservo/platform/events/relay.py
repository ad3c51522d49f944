"""Outbox relay: publishes committed outbox rows in order, marks them sent after the bus accepted them."""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from datetime import timedelta

import structlog
from sqlalchemy import Text, cast, delete, select, update

from reservo.platform.clock import Clock
from reservo.platform.db.uow import UnitOfWork
from reservo.platform.events.bus import EventBus
from reservo.platform.events.envelope import RawEnvelope
from reservo.platform.observability import OUTBOX_LAG, OUTBOX_PUBLISHED
from reservo.platform.tracing import publish_spans

log = structlog.get_logger(__name__)


class Relay:
    def __init__(
        self,
        uow: UnitOfWork,
        bus: EventBus,
        clock: Clock,
        *,
        batch: int = 500,
        poll_seconds: float = 1.0,
        linger_seconds: float = 0.0,
    ) -> None:
        self._uow = uow
        self._bus = bus
        self._clock = clock
        self._batch = batch
        self._poll = poll_seconds
        # After a wake-up, wait this long so that the commits of a burst go out in one batch
        # (one SELECT and one UPDATE for many events instead of per event).
        self._linger = linger_seconds
        self._wake = asyncio.Event()
        self._stopping = False
        # One batch at a time per process: two overlapping runs would publish the same rows twice.
        self._lock = asyncio.Lock()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Finish the batch in hand, then return from run(): cancelling mid-statement can wedge a pool."""
        self._stopping = True
        self._wake.set()

    async def run_once(self) -> int:
        """Publish one batch of unsent rows; returns how many were published."""
        async with self._lock:
            return await self._publish_batch()

    async def _publish_batch(self) -> int:
        outbox = self._uow.tables.outbox
        async with self._uow.read() as session:
            rows = (
                await session.execute(
                    # the envelope as its JSON text: pydantic parses and validates that in one pass
                    select(outbox.c.position, outbox.c.topic, cast(outbox.c.envelope, Text))
                    .where(outbox.c.sent_at.is_(None))
                    .order_by(outbox.c.position)
                    .limit(self._batch)
                )
            ).all()
        if not rows:
            OUTBOX_LAG.labels(self._uow.service).set(0)
            return 0
        by_topic: dict[str, list[RawEnvelope]] = defaultdict(list)
        for _, topic, envelope in rows:
            by_topic[topic].append(RawEnvelope.model_validate_json(envelope))
        # Topics are independent streams; within one, order is the outbox order.
        await asyncio.gather(*(self._publish(t, envs) for t, envs in by_topic.items()))
        async with self._uow.transaction() as tx:
            await tx.session.execute(
                update(outbox)
                .where(outbox.c.position.in_([position for position, _, _ in rows]))
                .values(sent_at=self._clock.now())
            )
        OUTBOX_PUBLISHED.labels(self._uow.service).inc(len(rows))
        return len(rows)

    async def _publish(self, topic: str, envelopes: list[RawEnvelope]) -> None:
        system = "kafka" if type(self._bus).__name__.lower().startswith("kafka") else "in_process"
        with publish_spans(system, topic, [e.traceparent for e in envelopes]):
            await self._bus.publish(topic, envelopes)

    async def drain(self) -> int:
        total = 0
        while n := await self.run_once():
            total += n
            if n < self._batch:  # the outbox had no more rows than that: no need to ask again
                break
        return total

    async def purge_sent(self, older_than: timedelta = timedelta(days=7)) -> int:
        """Delete rows relayed before `older_than` ago (platform/events/housekeeping.py calls it)."""
        outbox = self._uow.tables.outbox
        async with self._uow.transaction() as tx:
            result = await tx.session.execute(
                delete(outbox).where(outbox.c.sent_at < self._clock.now() - older_than)
            )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def run(self) -> None:
        backoff = self._poll
        while not self._stopping:
            try:
                await self.drain()
                backoff = self._poll
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database or the bus is down: nothing is lost, the rows stay unsent.
                log.exception("relay.failed", service=self._uow.service)
                backoff = min(backoff * 2, 30.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)
            if self._linger and not self._stopping:
                await asyncio.sleep(self._linger)
            self._wake.clear()
