"""Kafka bus (aiokafka): the in-process bus's contract across processes.

Producing: an idempotent producer (acks=all, enable_idempotence), keyed by the aggregate id, so one
aggregate's events land on one partition in outbox order; `publish` returns once the broker acked
every record, and only then does the relay mark the outbox rows sent.
Consuming: one consumer group per consuming service, auto-commit off. Each partition's records are
handled in order and its offset is committed only after `deliver` returned, i.e. after the handler's
transaction (with its inbox row) committed. A crash before the commit redelivers; the inbox skips what
was applied. A `deliver` that raises (its database is down) is retried in place, never skipped.
Handler failures are retried and dead-lettered by the Consumer; `dead_letter` also copies the event to
`<topic>.dlq` for tooling that watches Kafka.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.protocol.metadata import MetadataRequest
from prometheus_client import Gauge

from reservo.platform.events.bus import Deliver, DeliverMany
from reservo.platform.events.envelope import EVENT_TYPES, RawEnvelope, topic_of

log = structlog.get_logger(__name__)

CONSUMER_LAG = Gauge(
    "reservo_kafka_consumer_lag",
    "Records in a partition not yet handled by the group (as of its last fetch)",
    ["group", "topic", "partition"],
)


@dataclass(frozen=True, slots=True)
class KafkaOptions:
    bootstrap: str
    topic_prefix: str = ""
    partitions: int = 3
    replication: int = 1
    # Backoff when `deliver` raises (the consumer's database is unreachable): retried in place.
    redeliver_backoff_seconds: float = 0.5
    max_poll_records: int = 500


@dataclass
class _Group:
    name: str
    topics: list[str]
    deliver: Deliver
    deliver_many: DeliverMany | None = None
    consumer: AIOKafkaConsumer | None = None
    task: asyncio.Task[None] | None = None
    assigned: asyncio.Event = field(default_factory=asyncio.Event)


def _encode(envelope: RawEnvelope) -> bytes:
    return envelope.model_dump_json().encode()


class KafkaBus:
    def __init__(self, options: KafkaOptions) -> None:
        self.options = options
        self._groups: list[_Group] = []
        self._producer: AIOKafkaProducer | None = None
        self._ensured: set[str] = set()
        self._ensure_lock = asyncio.Lock()
        self._stopping = False

    # --- names ------------------------------------------------------------------------------
    def kafka_topic(self, topic: str) -> str:
        """The broker's topic name for a logical topic (`booking.events` -> `<prefix>booking.events`)."""
        return f"{self.options.topic_prefix}{topic}"

    def group_id(self, group: str) -> str:
        return f"{self.options.topic_prefix}{group}"

    # --- EventBus -----------------------------------------------------------------------------
    def subscribe(
        self, group: str, topics: Sequence[str], deliver: Deliver, deliver_many: DeliverMany | None = None
    ) -> None:
        g = _Group(group, list(topics), deliver, deliver_many)
        self._groups.append(g)
        if self._producer is not None:
            g.task = asyncio.create_task(self._consume(g), name=f"kafka:{group}")

    async def start(self) -> None:
        self._stopping = False
        # Every known topic exists before anyone produces or subscribes (and its dead-letter topic).
        known = {topic_of(t) for t in EVENT_TYPES} | {t for g in self._groups for t in g.topics}
        await self.ensure_topics(known)
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.options.bootstrap,
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            max_batch_size=256 * 1024,
            request_timeout_ms=15_000,
        )
        await self._producer.start()
        for g in self._groups:
            if g.task is None:
                g.task = asyncio.create_task(self._consume(g), name=f"kafka:{g.name}")

    async def stop(self) -> None:
        self._stopping = True
        tasks = [g.task for g in self._groups if g.task is not None]
        # A group loop checks `_stopping` between batches: the batch in hand finishes and commits.
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=15)
            for t in pending:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for g in self._groups:
            g.task = None
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    async def publish(self, topic: str, envelopes: Sequence[RawEnvelope]) -> None:
        producer = self._producer
        if producer is None:
            raise RuntimeError("bus not started")
        if topic not in self._ensured:
            await self.ensure_topics([topic])
        name = self.kafka_topic(topic)
        # send() enqueues in call order; one partition's batches go out in order (idempotent producer).
        futures = [
            await producer.send(
                name,
                value=_encode(e),
                key=e.key.encode(),
                headers=[("type", e.type.encode()), ("id", str(e.id).encode())],
            )
            for e in envelopes
        ]
        # Wait for every ack (or failure) before raising, so no failure goes unobserved.
        outcomes = await asyncio.gather(*futures, return_exceptions=True)
        if failed := [o for o in outcomes if isinstance(o, BaseException)]:
            raise failed[0]

    async def ping(self) -> None:
        """One round trip to a broker asking for the metadata of no topic: the readiness probe's cost
        must not grow with the cluster's topics (all-topic metadata took seconds with thousands)."""
        if self._producer is None:
            raise RuntimeError("bus not started")
        client = self._producer.client
        node = client.get_random_node()
        if node is None:
            raise KafkaError("no broker known")
        await client.send(node, MetadataRequest([]))

    # --- dead letters ---------------------------------------------------------------------------
    async def dead_letter(self, consumer: str, envelope: RawEnvelope, error: str) -> None:
        """Copy a dead-lettered event to `<topic>.dlq` (the table row stays the source of truth)."""
        if self._producer is None:
            return
        topic = f"{topic_of(envelope.type)}.dlq"
        try:
            if topic not in self._ensured:
                await self.ensure_topics([topic_of(envelope.type)])
            await (
                await self._producer.send(
                    self.kafka_topic(topic),
                    value=_encode(envelope),
                    key=envelope.key.encode(),
                    headers=[("consumer", consumer.encode()), ("error", error[:1000].encode())],
                )
            )
        except KafkaError:
            # The dead_letters table already holds it (committed first); the topic copy is best effort.
            log.warning("kafka.dlq_publish_failed", consumer=consumer, event_id=str(envelope.id))

    # --- topics ---------------------------------------------------------------------------------
    async def ensure_topics(self, topics: Iterable[str]) -> None:
        async with self._ensure_lock:
            wanted = {t for topic in topics for t in (topic, f"{topic}.dlq")} - self._ensured
            if not wanted:
                return
            admin = AIOKafkaAdminClient(bootstrap_servers=self.options.bootstrap)
            await admin.start()
            try:
                existing = set(await admin.list_topics())
                missing = sorted(t for t in wanted if self.kafka_topic(t) not in existing)
                if missing:
                    new = [
                        NewTopic(self.kafka_topic(t), self.options.partitions, self.options.replication)
                        for t in missing
                    ]
                    with contextlib.suppress(TopicAlreadyExistsError):
                        response = await admin.create_topics(new)
                        # Per-topic errors come back in the response, not as exceptions.
                        errors = [
                            (e[0], e[1], e[2] if len(e) > 2 else "")
                            for e in getattr(response, "topic_errors", [])
                            if e[1] not in (0, TopicAlreadyExistsError.errno)
                        ]
                        if errors:
                            raise KafkaError(f"could not create topics: {errors}")
            finally:
                await admin.close()
            self._ensured |= wanted

    # --- consuming ------------------------------------------------------------------------------
    async def wait_assigned(self) -> None:
        """(Tests, benchmarks) wait until every group got its partitions; bound it with a timeout."""
        await asyncio.gather(*(g.assigned.wait() for g in self._groups))

    async def _consume(self, g: _Group) -> None:
        while not self._stopping:
            try:
                await self._consume_session(g)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("kafka.consumer_failed", group=g.name)
                await asyncio.sleep(self.options.redeliver_backoff_seconds)

    async def _consume_session(self, g: _Group) -> None:
        consumer = AIOKafkaConsumer(
            *(self.kafka_topic(t) for t in g.topics),
            bootstrap_servers=self.options.bootstrap,
            group_id=self.group_id(g.name),
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.options.max_poll_records,
            session_timeout_ms=10_000,
            heartbeat_interval_ms=1_000,
        )
        g.consumer = consumer
        await consumer.start()
        try:
            while not self._stopping:
                batches = await consumer.getmany(timeout_ms=200)
                if consumer.assignment():
                    g.assigned.set()
                if not batches:
                    continue
                # Partitions are independent streams; within one, records are handled in order.
                results = await asyncio.gather(
                    *(self._handle_partition(g, tp, records) for tp, records in batches.items())
                )
                offsets = {tp: off for tp, off in results if off is not None}
                for tp, off in offsets.items():
                    if (high := consumer.highwater(tp)) is not None:
                        CONSUMER_LAG.labels(g.name, tp.topic, str(tp.partition)).set(max(high - off, 0))
                if offsets:
                    try:
                        await consumer.commit(offsets)
                    except KafkaError:
                        # A rebalance took the partition: its new owner redelivers, the inbox dedups.
                        log.warning("kafka.commit_failed", group=g.name, exc_info=True)
        finally:
            g.consumer = None
            await consumer.stop()

    async def _handle_partition(
        self, g: _Group, tp: TopicPartition, records: list[ConsumerRecord[Any, Any]]
    ) -> tuple[TopicPartition, int | None]:
        done: int | None = None
        batch: list[RawEnvelope] = []
        for record in records:
            try:
                envelope = RawEnvelope.model_validate(json.loads(record.value))
            except ValueError:
                # A record that is no envelope can never be handled: skip it, loudly.
                log.error("kafka.undecodable_record", group=g.name, topic=tp.topic, offset=record.offset)
                if g.deliver_many is None:
                    done = record.offset + 1
                continue
            if g.deliver_many is not None:
                batch.append(envelope)
                continue
            if not await self._deliver(g, tp, record.offset, functools.partial(g.deliver, envelope)):
                return tp, done
            done = record.offset + 1
        if g.deliver_many is not None:  # the partition's records in order, in one go
            deliver_many = g.deliver_many
            if batch and not await self._deliver(g, tp, records[0].offset, lambda: deliver_many(batch)):
                return tp, None
            done = records[-1].offset + 1
        return tp, done

    async def _deliver(
        self, g: _Group, tp: TopicPartition, offset: int, call: Callable[[], Awaitable[None]]
    ) -> bool:
        """Retry in place until delivered; False when stopping before that."""
        while True:
            try:
                await call()
                return True
            except asyncio.CancelledError:
                raise
            except Exception:
                # Not a handler bug (the Consumer dead-letters those) but an outage: retry in place.
                log.warning(
                    "kafka.deliver_failed", group=g.name, topic=tp.topic, offset=offset, exc_info=True
                )
                if self._stopping:
                    return False
                await asyncio.sleep(self.options.redeliver_backoff_seconds)
