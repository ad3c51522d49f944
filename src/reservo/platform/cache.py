"""A small cache for hot reads: in memory (one process) or Redis (shared by every process).

Values are bytes with a TTL. Writers invalidate by deleting keys; the TTL bounds staleness where an
invalidation cannot reach (memory caches of other processes).

`near` is a per-process tier of parsed values in front of the shared cache, for readers that would
otherwise ask Redis on every request (the tenant of every tenant-scoped route). It holds a value
only while this process hears every `delete` made anywhere: Redis publishes the deleted keys on a
channel each process subscribes to, and while that subscription is down the tier holds nothing.
A value read while an invalidation arrived is not kept (`mark`), and none lives longer than
NEAR_TTL_SECONDS, a safety net only (docs/decisions.md D15-51).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any, Protocol

import structlog
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)

if TYPE_CHECKING:
    from redis.asyncio import Redis


NEAR_TTL_SECONDS = 1.0


class Near:
    """Parsed values of this process, dropped by every invalidation this process hears."""

    def __init__(self, ttl_seconds: float = NEAR_TTL_SECONDS, max_entries: int = 10_000) -> None:
        self._data: dict[str, tuple[float, Any]] = {}
        self._ttl = ttl_seconds
        self._max = max_entries
        self._generation = 0
        self.listening = False  # True while every invalidation reaches `drop`

    def get(self, key: str) -> Any | None:
        found = self._data.get(key)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            del self._data[key]
            return None
        return found[1]

    def mark(self) -> int:
        """Taken before reading the shared cache: `put` keeps the value only if no invalidation
        arrived since (it may have been read before the delete that the invalidation reports)."""
        return self._generation

    def put(self, key: str, value: Any, mark: int) -> None:
        if not self.listening or mark != self._generation:
            return
        if len(self._data) >= self._max:
            self._data.clear()
        self._data[key] = (time.monotonic() + self._ttl, value)

    def drop(self, keys: Any) -> None:
        self._generation += 1
        for key in keys:
            self._data.pop(key, None)

    def forget_all(self) -> None:
        self._generation += 1
        self._data.clear()


class Cache(Protocol):
    @property
    def near(self) -> Near: ...

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...

    async def aclose(self) -> None: ...


class MemoryCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._data: dict[str, tuple[float, bytes]] = {}
        self._max = max_entries
        self.near = Near()  # one process: every delete is this process's own
        self.near.listening = True

    async def get(self, key: str) -> bytes | None:
        found = self._data.get(key)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            self._data.pop(key, None)
            return None
        return found[1]

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        now = time.monotonic()
        if len(self._data) >= self._max:
            self._data = {k: v for k, v in self._data.items() if v[0] > now}
            if len(self._data) >= self._max:
                self._data.clear()
        self._data[key] = (now + ttl_seconds, value)

    async def delete(self, *keys: str) -> None:
        self.near.drop(keys)
        for key in keys:
            self._data.pop(key, None)

    async def aclose(self) -> None:
        return None


class RedisCache:
    """A cache that degrades to "always miss" while Redis is unreachable: reads go to the database.

    A failed delete is logged, not raised: failing the tenant update that triggered it would be worse
    than an entry that lives until its TTL.
    """

    def __init__(self, redis: Redis, prefix: str = "reservo:") -> None:
        self._redis = redis
        self._prefix = f"{prefix}cache:"
        self._channel = f"{prefix}cache-deleted"
        self._near = Near()
        self._listener: asyncio.Task[None] | None = None

    @property
    def near(self) -> Near:
        """Started on first use (it needs the running loop): the subscription that keeps it honest."""
        if self._listener is None:
            loop = asyncio.get_running_loop()
            self._listener = loop.create_task(self._listen(), name="cache-invalidations")
        return self._near

    async def _listen(self) -> None:
        backoff = 0.1
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(self._channel)
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":  # also after the client reconnected by itself
                        self._near.forget_all()
                        self._near.listening, backoff = True, 0.1
                    elif message["type"] == "message":
                        data = message["data"]
                        text = data.decode() if isinstance(data, bytes) else str(data)
                        self._near.drop(text.split("\n"))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a lost subscription: hold nothing until it is back
                log.warning("cache.invalidations_lost", error=repr(exc))
            finally:
                self._near.listening = False
                self._near.forget_all()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)

    async def get(self, key: str) -> bytes | None:
        try:
            value: bytes | str | None = await self._redis.get(self._prefix + key)
        except RedisError as exc:
            log.warning("cache.unavailable", op="get", error=repr(exc))
            return None
        return value.encode() if isinstance(value, str) else value

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None:
        try:
            await self._redis.set(self._prefix + key, value, px=max(1, int(ttl_seconds * 1000)))
        except RedisError as exc:
            log.warning("cache.unavailable", op="set", error=repr(exc))

    async def delete(self, *keys: str) -> None:
        """Delete, and tell every process's `near` tier (one round trip)."""
        if not keys:
            return
        self._near.drop(keys)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                pipe.delete(*(self._prefix + k for k in keys))
                pipe.publish(self._channel, "\n".join(keys))
                await pipe.execute()
        except RedisError as exc:
            log.error("cache.invalidation_failed", keys=list(keys), error=repr(exc))

    async def aclose(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
