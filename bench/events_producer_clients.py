"""Producer throughput, aiokafka vs confluent-kafka, with the relay's settings (acks=all, idempotent).

    python bench/events_producer_clients.py [--bootstrap 127.0.0.1:59092] [--n 20000]

Each client sends N envelope-sized records (~600 bytes, 1,000 distinct keys) to a fresh topic and
waits for every acknowledgement, in batches of 500 like the relay does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

BATCH = 500


def _records(n: int) -> list[tuple[bytes, bytes]]:
    keys = [str(uuid.uuid4()) for _ in range(1000)]
    payload = {"type": "booking.created", "data": {"note": "x" * 450}}
    return [
        (keys[i % 1000].encode(), json.dumps({**payload, "id": str(uuid.uuid4())}).encode()) for i in range(n)
    ]


async def _topic(bootstrap: str) -> str:
    name = f"bench.producer.{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, 6, 1)])
    finally:
        await admin.close()
    return name


async def bench_aiokafka(bootstrap: str, records: list[tuple[bytes, bytes]]) -> float:
    topic = await _topic(bootstrap)
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
    )
    await producer.start()
    try:
        start = time.perf_counter()
        for i in range(0, len(records), BATCH):
            futures = [await producer.send(topic, value=v, key=k) for k, v in records[i : i + BATCH]]
            await asyncio.gather(*futures)
        return len(records) / (time.perf_counter() - start)
    finally:
        await producer.stop()


async def bench_confluent(bootstrap: str, records: list[tuple[bytes, bytes]]) -> float:
    from confluent_kafka import Producer

    topic = await _topic(bootstrap)
    producer = Producer(
        {"bootstrap.servers": bootstrap, "acks": "all", "enable.idempotence": True, "linger.ms": 5}
    )
    start = time.perf_counter()
    for i in range(0, len(records), BATCH):
        failed: list[object] = []
        for k, v in records[i : i + BATCH]:
            producer.produce(
                topic, value=v, key=k, on_delivery=lambda err, _m, failed=failed: err and failed.append(err)
            )
        producer.flush()  # every record of the batch acked (the relay's contract)
        assert not failed, failed
    return len(records) / (time.perf_counter() - start)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", default="127.0.0.1:59092")
    parser.add_argument("--n", type=int, default=20000)
    args = parser.parse_args()
    records = _records(args.n)
    for name, fn in (("aiokafka", bench_aiokafka), ("confluent-kafka", bench_confluent)):
        rates = [await fn(args.bootstrap, records) for _ in range(3)]
        print(f"{name:16s} best {max(rates):8.0f} msg/s  (runs: {', '.join(f'{r:.0f}' for r in rates)})")


if __name__ == "__main__":
    asyncio.run(main())
