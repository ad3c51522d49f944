"""A small cache for hot reads: in memory (one process) or Redis (shared by every process).

Values are bytes with a TTL. Writers invalidate by deleting keys; the TTL bounds staleness where an
invalidation cannot reach (memory caches of other processes).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

import structlog
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)

if TYPE_CHECKING:
    from redis.asyncio import Redis


class Cache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...


class MemoryCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._data: dict[str, tuple[float, bytes]] = {}
        self._max = max_entries

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
        for key in keys:
            self._data.pop(key, None)


class RedisCache:
    """A cache that degrades to "always miss" while Redis is unreachable: reads go to the database.

    A failed delete is logged, not raised: failing the tenant update that triggered it would be worse
    than an entry that lives until its TTL.
    """

    def __init__(self, redis: Redis, prefix: str = "reservo:") -> None:
        self._redis = redis
        self._prefix = f"{prefix}cache:"

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
        if not keys:
            return
        try:
            await self._redis.delete(*(self._prefix + k for k in keys))
        except RedisError as exc:
            log.error("cache.invalidation_failed", keys=list(keys), error=repr(exc))
