"""Removing what a test made on the shared Kafka: its topics (and so its consumer groups' offsets).

Left behind, every run's topics pile up on the machine's broker (thousands of partitions after a few
runs) and each metadata request, readiness probe and broker start gets slower for everyone.
"""

from __future__ import annotations

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError


async def delete_topics(bootstrap: str, prefix: str) -> None:
    """Delete every topic whose name starts with `prefix` (a test's own run prefix)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=30_000)
    await admin.start()
    try:
        mine = [topic for topic in await admin.list_topics() if topic.startswith(prefix)]
        if mine:
            await admin.delete_topics(mine, timeout_ms=30_000)
    except KafkaError:
        pass  # hygiene, not a result: a broker that cannot delete now keeps them until the next prune
    finally:
        await admin.close()
