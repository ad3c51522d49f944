"""The in-process bus hands a relay batch to each consumer group as one share per partition (D15-57):
every event arrives once, in order per key, in batches of at most 500; `publish` returns only after
every group handled its share, and fails when a group's delivery failed (the relay then keeps the
outbox rows unsent and publishes them again)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from reservo.platform.events.envelope import RawEnvelope
from reservo.platform.events.inprocess import BATCH, InProcessBus
from tests.support.polling import eventually


def _events(n: int, keys: int) -> list[RawEnvelope]:
    now = datetime.now(UTC)
    return [
        RawEnvelope(type="booking.created", key=f"k{i % keys}", occurred_at=now, data={"n": i})
        for i in range(n)
    ]


@pytest.mark.parametrize("partitions", [1, 4])
async def test_every_event_once_in_order_per_key_in_bounded_batches(partitions: int) -> None:
    bus = InProcessBus(partitions=partitions)
    seen: dict[str, list[RawEnvelope]] = defaultdict(list)
    batches: list[int] = []

    async def one(envelope: RawEnvelope) -> None:
        await many([envelope])

    async def many(envelopes: Sequence[RawEnvelope]) -> None:
        await asyncio.sleep(0)  # other partitions interleave
        batches.append(len(envelopes))
        for e in envelopes:
            seen[e.key].append(e)

    bus.subscribe("g", ["booking.events"], one, many)
    await bus.start()
    try:
        first, second = _events(1100, 7), _events(30, 7)
        await bus.publish("booking.events", first)
        await bus.publish("booking.events", second)  # returned: everything of the first was handled
    finally:
        await bus.stop()
    for key in seen:
        expected = [e for e in first + second if e.key == key]
        assert [e.id for e in seen[key]] == [e.id for e in expected]
    assert sum(batches) == 1130
    assert max(batches) <= BATCH


async def test_a_failing_group_fails_the_publish_and_the_others_still_get_every_event() -> None:
    bus = InProcessBus(partitions=4)
    got: list[RawEnvelope] = []

    async def fails(envelopes: Sequence[RawEnvelope]) -> None:
        raise RuntimeError("database down")

    async def fails_one(envelope: RawEnvelope) -> None:
        raise RuntimeError("database down")

    async def keeps(envelopes: Sequence[RawEnvelope]) -> None:
        got.extend(envelopes)

    async def keeps_one(envelope: RawEnvelope) -> None:
        got.append(envelope)

    bus.subscribe("broken", ["booking.events"], fails_one, fails)
    bus.subscribe("fine", ["booking.events"], keeps_one, keeps)
    await bus.start()
    try:
        events = _events(40, 5)
        with pytest.raises(RuntimeError, match="database down"):
            await bus.publish("booking.events", events)
        await eventually(lambda: len(got) >= len(events), timeout=5, what="the other group's events")
    finally:
        await bus.stop()
    assert sorted(e.id for e in got) == sorted(e.id for e in events)
