"""The event bus interface: in-process by default, Kafka in the distributed shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

from reservo.platform.events.envelope import RawEnvelope

Deliver = Callable[[RawEnvelope], Awaitable[None]]
# Optional: handle several events of one partition in order, at once (one transaction per batch).
DeliverMany = Callable[[Sequence[RawEnvelope]], Awaitable[None]]


class EventBus(Protocol):
    def subscribe(
        self, group: str, topics: Sequence[str], deliver: Deliver, deliver_many: DeliverMany | None = None
    ) -> None:
        """Register a consumer group; `deliver` must return only once the event is handled for good.
        With `deliver_many`, events that are waiting in one partition are handed over together."""

    async def publish(self, topic: str, envelopes: Sequence[RawEnvelope]) -> None:
        """Return once the bus is responsible for the events: the relay marks them sent only then."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ping(self) -> None:
        """Raise if the bus cannot be reached (readiness)."""

    async def dead_letter(self, consumer: str, envelope: RawEnvelope, error: str) -> None:
        """Told after a consumer committed a dead letter (the table row is the source of truth)."""
