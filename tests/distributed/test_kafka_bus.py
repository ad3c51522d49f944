"""The Kafka bus against a real broker: the slice over Kafka, per-key order across partitions,
offsets committed only after handling, dead letters copied to `<topic>.dlq`."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import func, select

from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope, RawEnvelope
from reservo.platform.events.kafka import KafkaBus, KafkaOptions
from reservo.platform.service import ServiceContext
from reservo.services import notification
from reservo.services.notification.models import Email
from tests.conftest import Api, eventually
from tests.support.offerings import price, product

pytestmark = [pytest.mark.kafka]


def _envelope(key: str, seq: int, type_: str = "probe.thing.happened") -> RawEnvelope:
    return RawEnvelope(type=type_, key=key, occurred_at=datetime.now(UTC), data={"seq": seq})


def _bus(bootstrap: str, prefix: str, partitions: int = 3) -> KafkaBus:
    return KafkaBus(
        KafkaOptions(bootstrap, topic_prefix=prefix, partitions=partitions, redeliver_backoff_seconds=0.05)
    )


async def _count(api: Api, service: str, table: Any) -> int:
    async with api.runtime.uow(service).read() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


class TestSliceOverKafka:
    @pytest.mark.postgres
    async def test_tenant_offering_booking_and_email_flow_through_kafka(
        self,
        make_api,
        kafka_bootstrap: str,
        topic_prefix: str,
    ) -> None:
        api: Api = await make_api(
            ["user", "catalog", "booking", "notification"], bus=_bus(kafka_bootstrap, topic_prefix)
        )
        owner = api.owner("acme")
        body = {"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"}
        assert (await api.client.post("/api/v1/tenants", json=body, headers=owner)).status_code == 201
        offering = product(5, name="Jazz vinyl", price=price(2500))

        # At once: catalog asks user about a tenant its replica has not seen yet (D9-1).
        answer = await api.client.post("/api/v1/tenants/acme/offerings", json=offering, headers=owner)
        assert answer.status_code == 201, answer.text
        created = answer.json()
        booking = {
            "offering_id": created["id"],
            "quantity": 1,
            "customer": {"name": "Ann", "email": "ann@example.com"},
        }

        # At once too: booking asks catalog about the offering (D9-1).
        booked = await api.client.post("/api/v1/tenants/acme/bookings", json=booking)
        assert booked.status_code == 201, booked.text
        outbox = api.runtime.settings.outbox_dir
        customer = "To: ann@example.com"  # the owner also gets a new-booking note
        emails = await eventually(
            lambda: [p for p in outbox.glob("*.eml") if customer in p.read_text()], timeout=30
        )
        assert len(emails) == 1


class TestOrderAndOffsets:
    async def test_one_keys_events_stay_in_order_across_six_partitions(
        self, kafka_bootstrap: str, topic_prefix: str
    ) -> None:
        seen: dict[str, list[int]] = defaultdict(list)

        async def deliver(envelope: RawEnvelope) -> None:
            await asyncio.sleep(random.random() / 1000)  # partitions interleave for real
            seen[envelope.key].append(envelope.data["seq"])

        bus = _bus(kafka_bootstrap, topic_prefix, partitions=6)
        bus.subscribe("probe", ["probe.events"], deliver)
        await bus.start()
        try:
            keys = [str(uuid.uuid4()) for _ in range(30)]
            for batch in range(0, 40, 10):
                envelopes = [_envelope(k, seq) for seq in range(batch, batch + 10) for k in keys]
                await bus.publish("probe.events", envelopes)
            await eventually(lambda: sum(map(len, seen.values())) >= 1200, timeout=60)
        finally:
            await bus.stop()
        assert all(seen[k] == list(range(40)) for k in keys), "every key in publish order, once"

        probe = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap)
        await probe.start()
        try:
            tps = [TopicPartition(f"{topic_prefix}probe.events", p) for p in range(6)]
            ends = await probe.end_offsets(tps)
        finally:
            await probe.stop()
        assert sum(1 for n in ends.values() if n > 0) >= 4, "keys spread over the partitions"

    async def test_an_event_whose_delivery_fails_is_retried_in_place_and_offsets_survive_a_restart(
        self, kafka_bootstrap: str, topic_prefix: str
    ) -> None:
        delivered: list[int] = []
        outage = {"left": 3}

        async def deliver(envelope: RawEnvelope) -> None:
            if envelope.data["seq"] == 2 and outage["left"]:
                outage["left"] -= 1
                raise ConnectionError("consumer database down")
            delivered.append(envelope.data["seq"])

        first = _bus(kafka_bootstrap, topic_prefix, partitions=1)
        first.subscribe("probe", ["probe.events"], deliver)
        await first.start()
        try:
            await first.publish("probe.events", [_envelope("k", i) for i in range(5)])
            await eventually(lambda: len(delivered) == 5, timeout=30)
        finally:
            await first.stop()
        assert delivered == [0, 1, 2, 3, 4] and outage["left"] == 0

        second = _bus(kafka_bootstrap, topic_prefix, partitions=1)
        second.subscribe("probe", ["probe.events"], deliver)
        await second.start()
        try:
            await second.publish("probe.events", [_envelope("k", 5)])
            await eventually(lambda: len(delivered) == 6, timeout=30)
            await asyncio.sleep(1)
        finally:
            await second.stop()
        assert delivered == [0, 1, 2, 3, 4, 5], "committed offsets held: nothing handled twice"


class TestScaling:
    async def test_two_workers_of_one_group_share_the_partitions(
        self, kafka_bootstrap: str, topic_prefix: str
    ) -> None:
        got: dict[str, list[RawEnvelope]] = {"a": [], "b": []}

        def recorder(name: str) -> Any:
            async def deliver(envelope: RawEnvelope) -> None:
                got[name].append(envelope)

            return deliver

        a, b = (
            _bus(kafka_bootstrap, topic_prefix, partitions=6),
            _bus(kafka_bootstrap, topic_prefix, partitions=6),
        )
        a.subscribe("probe", ["probe.events"], recorder("a"))
        b.subscribe("probe", ["probe.events"], recorder("b"))
        await a.start()
        await b.start()
        try:
            await asyncio.wait_for(asyncio.gather(a.wait_assigned(), b.wait_assigned()), 60)

            def shared() -> bool:  # the rebalance after the second member joined has settled
                sizes = [
                    len(g.consumer.assignment()) if g.consumer else 0 for bus in (a, b) for g in bus._groups
                ]
                return sum(sizes) == 6 and min(sizes) > 0

            await eventually(shared, timeout=30)
            keys = [str(uuid.uuid4()) for _ in range(60)]
            sent = [_envelope(k, seq) for seq in range(10) for k in keys]
            await a.publish("probe.events", sent)
            await eventually(lambda: {e.id for e in got["a"] + got["b"]} >= {e.id for e in sent}, timeout=60)
        finally:
            await a.stop()
            await b.stop()
        assert got["a"] and got["b"], "both members got partitions"
        assert {e.key for e in got["a"]}.isdisjoint({e.key for e in got["b"]}), "a key belongs to one member"


class _AlwaysFails:
    async def __call__(self, event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        raise RuntimeError("template service unreachable")


class TestDeadLetters:
    @pytest.mark.postgres
    async def test_a_failing_handler_dead_letters_to_the_table_and_the_dlq_topic(
        self,
        make_api,
        kafka_bootstrap: str,
        topic_prefix: str,
    ) -> None:
        broken = dataclasses.replace(
            notification.spec, handlers={**notification.spec.handlers, "booking.created": _AlwaysFails()}
        )
        api: Api = await make_api([broken], bus=_bus(kafka_bootstrap, topic_prefix))
        envelope = _envelope(str(uuid.uuid4()), 1, "booking.created")
        await api.runtime.bus.publish("booking.events", [envelope])
        dl = api.runtime.uow("notification").tables.dead_letters
        await eventually(lambda: _count(api, "notification", dl), timeout=30)
        assert await _count(api, "notification", Email.__table__) == 0

        reader = AIOKafkaConsumer(
            f"{topic_prefix}booking.events.dlq",
            bootstrap_servers=kafka_bootstrap,
            auto_offset_reset="earliest",
        )
        await reader.start()
        try:
            record = await asyncio.wait_for(reader.getone(), timeout=30)
        finally:
            await reader.stop()
        assert json.loads(record.value)["id"] == str(envelope.id)
        assert dict(record.headers)["consumer"] == b"notification"


class TestTopics:
    async def test_topics_are_created_once_with_their_dlq_and_a_bad_setting_fails_loudly(
        self, kafka_bootstrap: str, topic_prefix: str
    ) -> None:
        from aiokafka.admin import AIOKafkaAdminClient
        from aiokafka.errors import KafkaError

        await _bus(kafka_bootstrap, topic_prefix, partitions=4).ensure_topics(["probe.events"])
        await _bus(kafka_bootstrap, topic_prefix, partitions=4).ensure_topics(
            ["probe.events"]
        )  # another process
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            described = await admin.describe_topics(
                [f"{topic_prefix}probe.events", f"{topic_prefix}probe.events.dlq"]
            )
        finally:
            await admin.close()
        assert [len(t["partitions"]) for t in described] == [4, 4]

        unreplicable = KafkaBus(
            KafkaOptions(kafka_bootstrap, topic_prefix=topic_prefix + "r3.", replication=3)
        )
        with pytest.raises(KafkaError, match="replicat"):
            await unreplicable.ensure_topics(["probe.events"])
