"""In-process bus: per-key order, at-least-once, the same contract as Kafka.

Each consumer group gets a fixed set of partitions (queues) chosen by a hash of the key, each drained
by one task, so one aggregate's events are handled in order. `publish` returns only after every
group has handled (or dead-lettered) the events, so the relay marks outbox rows sent only when no
process crash can lose them: a crash before that re-publishes from the outbox, and the inbox skips
what was already applied.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import structlog

from reservo.platform.events.bus import Deliver, DeliverMany
from reservo.platform.events.envelope import RawEnvelope

log = structlog.get_logger(__name__)

# Events of one partition handed over together, and the future told when all of them are handled.
Item = tuple[list[RawEnvelope], asyncio.Future[None]]
BATCH = 500  # events handed to a consumer at once, at most


@dataclass
class _Group:
    name: str
    deliver: Deliver
    partitions: int
    deliver_many: DeliverMany | None = None
    queues: list[asyncio.Queue[Item]] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start(self) -> None:
        self.queues = [asyncio.Queue() for _ in range(self.partitions)]
        self.tasks = [
            asyncio.create_task(self._drain(q), name=f"bus:{self.name}:{i}")
            for i, q in enumerate(self.queues)
        ]

    def submit(self, envelopes: Sequence[RawEnvelope]) -> list[asyncio.Future[None]]:
        """Queue `envelopes` (in order) on their partitions: one future per partition's share."""
        if self.partitions == 1:
            shares = {0: list(envelopes)}
        else:
            shares = {}
            for envelope in envelopes:
                partition = zlib.crc32(envelope.key.encode()) % self.partitions
                shares.setdefault(partition, []).append(envelope)
        loop = asyncio.get_running_loop()
        futures: list[asyncio.Future[None]] = []
        for partition, share in shares.items():
            for start in range(0, len(share), BATCH):
                future: asyncio.Future[None] = loop.create_future()
                self.queues[partition].put_nowait((share[start : start + BATCH], future))
                futures.append(future)
        return futures

    async def _drain(self, queue: asyncio.Queue[Item]) -> None:
        while True:
            items = [await queue.get()]
            count = len(items[0][0])
            # What else waits in this partition goes along, in order (one transaction per batch).
            while self.deliver_many is not None and count < BATCH and not queue.empty():
                items.append(queue.get_nowait())
                count += len(items[-1][0])
            envelopes = [envelope for share, _ in items for envelope in share]
            try:
                if self.deliver_many is not None and len(envelopes) > 1:
                    await self.deliver_many(envelopes)
                else:
                    for envelope in envelopes:
                        await self.deliver(envelope)
            except Exception as exc:  # the consumer dead-letters; reaching here means its DB failed
                log.exception("bus.delivery_failed", group=self.name, event_id=str(envelopes[0].id))
                for _, future in items:
                    if not future.done():
                        future.set_exception(exc)
            else:
                for _, future in items:
                    if not future.done():
                        future.set_result(None)


class InProcessBus:
    # One partition by default: a group then takes everything a relay batch brought in one transaction
    # (order per key kept, it is total); four made each group commit four small batches where one does,
    # on a machine whose CPU, not round-trip latency, is what runs out (D15-57).
    def __init__(self, partitions: int = 1) -> None:
        self._partitions = partitions
        self._groups: dict[str, list[_Group]] = {}
        self._started = False

    def subscribe(
        self, group: str, topics: Sequence[str], deliver: Deliver, deliver_many: DeliverMany | None = None
    ) -> None:
        g = _Group(group, deliver, self._partitions, deliver_many)
        for topic in topics:
            self._groups.setdefault(topic, []).append(g)
        if self._started:
            g.start()

    async def publish(self, topic: str, envelopes: Sequence[RawEnvelope]) -> None:
        if not self._started:
            raise RuntimeError("bus not started")
        futures = [f for g in self._groups.get(topic, []) for f in g.submit(envelopes)]
        if futures:
            await asyncio.gather(*futures)

    def _all_groups(self) -> list[_Group]:
        return list({id(g): g for gs in self._groups.values() for g in gs}.values())

    async def start(self) -> None:
        self._started = True
        for g in self._all_groups():
            if not g.tasks:
                g.start()

    async def stop(self) -> None:
        self._started = False
        tasks = [t for g in self._all_groups() for t in g.tasks]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for g in self._all_groups():
            g.tasks = []

    async def ping(self) -> None:
        return None

    async def dead_letter(self, consumer: str, envelope: RawEnvelope, error: str) -> None:
        return None  # in one process the dead_letters table is the whole record
