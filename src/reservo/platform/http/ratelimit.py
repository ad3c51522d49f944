"""Rate limiting: a sliding-window counter per key, behind an interface shared by memory and Redis.

`hit(key, limit, window)` counts one attempt and says whether it is allowed and, when not, after
how many seconds a retry may succeed. Callers turn a refusal into a 429 problem (RateLimited).
`undo(key, verdict)` takes one counted attempt back when what it allowed did not happen (a hold
the database then refused): the count is taken first so that nothing is written past the limit,
and a refused action is not counted (docs/decisions.md D15-50).
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import structlog
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Receive, Scope, Send

from reservo.platform.http.problems import DependencyUnavailable, RateLimited, problem_response

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    remaining: int
    retry_after: float  # seconds until the oldest counted hit leaves the window; 0 when allowed
    hit: str = ""  # the counted attempt, for `undo` ("" when refused: nothing was counted)


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: float) -> Verdict:
        """Count one attempt under `key`; refused attempts are not counted."""

    async def undo(self, key: str, verdict: Verdict) -> None:
        """Take back the attempt `verdict` counted (nothing when it was refused)."""

    async def reset(self, key: str) -> None: ...


class MemoryRateLimiter:
    """Exact sliding window in one process (the all-in-one shape)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[tuple[float, int]]] = {}
        self._lock = asyncio.Lock()
        self._serial = itertools.count()

    async def hit(self, key: str, limit: int, window_seconds: float) -> Verdict:
        async with self._lock:
            now = time.monotonic()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0][0] <= now - window_seconds:
                hits.popleft()
            if len(hits) >= limit:
                wait = hits[0][0] + window_seconds - now
                return Verdict(False, 0, max(wait, 0.0))
            hit = (now, next(self._serial))
            hits.append(hit)
            if len(self._hits) > 100_000:
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1][0] > now - window_seconds}
            return Verdict(True, limit - len(hits), 0.0, f"{hit[1]}")

    async def undo(self, key: str, verdict: Verdict) -> None:
        if not verdict.hit:
            return
        async with self._lock:
            hits = self._hits.get(key, deque())
            serial = int(verdict.hit)
            for hit in hits:
                if hit[1] == serial:
                    hits.remove(hit)
                    break

    async def reset(self, key: str) -> None:
        async with self._lock:
            self._hits.pop(key, None)


# The same exact sliding window as MemoryRateLimiter, as one atomic script: a sorted set of hit
# times per key, timed by the Redis server's clock so that every API process shares one window.
_SLIDING_WINDOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, tonumber(oldest[2]) + window - now}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return {1, limit - n - 1, 0}
"""


class RedisRateLimiter:
    """Exact sliding window shared by every process using the same Redis (the distributed shape)."""

    def __init__(self, redis: Redis, prefix: str = "reservo:") -> None:
        self._redis = redis
        self._prefix = f"{prefix}rl:"
        self._script = redis.register_script(_SLIDING_WINDOW)

    async def hit(self, key: str, limit: int, window_seconds: float) -> Verdict:
        window_us = int(window_seconds * 1_000_000)
        member = uuid.uuid4().hex
        allowed, remaining, wait_us = await self._script(
            keys=[self._prefix + key], args=[window_us, limit, member]
        )
        wait = max(int(wait_us), 0) / 1_000_000
        return Verdict(bool(allowed), int(remaining), wait, member if allowed else "")

    async def undo(self, key: str, verdict: Verdict) -> None:
        if verdict.hit:
            await self._redis.zrem(self._prefix + key, verdict.hit)

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)


def _retry_after(verdict: Verdict) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(verdict.retry_after)))}


def parse_rate(rate: str) -> tuple[int, float]:
    """`"100/60"` -> (100 requests, 60 seconds)."""
    count, _, seconds = rate.partition("/")
    limit, window = int(count), float(seconds or 1)
    if limit < 1 or window <= 0:
        raise ValueError(f"rate limit must look like 100/60, got {rate!r}")
    return limit, window


class ApiRateLimitMiddleware:
    """A general limit per client IP over the whole API (RESERVO_RATE_LIMIT); probes are exempt."""

    EXEMPT = ("/healthz", "/readyz", "/metrics")

    def __init__(self, app: ASGIApp, limiter: RateLimiter, rate: str) -> None:
        self.app = app
        self.limiter = limiter
        self.limit, self.window = parse_rate(rate)

    def _client(self, scope: Scope) -> str:
        # ClientAddressMiddleware already put the real client there (RESERVO_TRUSTED_PROXIES).
        client = scope.get("client")
        return str(client[0]) if client else "unknown"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.EXEMPT:
            await self.app(scope, receive, send)
            return
        try:
            verdict = await self.limiter.hit(f"api:{self._client(scope)}", self.limit, self.window)
        except RedisError as exc:
            # A general limit fails open: Redis being down must not take the whole API with it.
            log.warning("ratelimit.unavailable", error=repr(exc))
            verdict = Verdict(True, 0, 0.0)
        if verdict.allowed:
            await self.app(scope, receive, send)
            return
        problem = RateLimited(
            f"At most {self.limit} requests per {self.window:g} s from one client",
            headers=_retry_after(verdict),
        )
        await problem_response(problem, scope["path"])(scope, receive, send)


async def attempt(limiter: RateLimiter, key: str, limit: int, window_seconds: float) -> Verdict:
    """Count one attempt and answer the verdict (refused: not counted). A per-action limit (login,
    registration, holds) fails closed: without its store it answers 503."""
    try:
        return await limiter.hit(key, limit, window_seconds)
    except RedisError as exc:
        log.warning("ratelimit.unavailable", error=repr(exc), key=key)
        raise DependencyUnavailable("Rate limiting is unavailable", headers={"Retry-After": "5"}) from exc


async def enforce(limiter: RateLimiter, key: str, limit: int, window_seconds: float) -> Verdict:
    """Count one attempt; raise a 429 problem with Retry-After when the window is full."""
    verdict = await attempt(limiter, key, limit, window_seconds)
    if not verdict.allowed:
        raise RateLimited(f"At most {limit} attempts per {window_seconds:g} s", headers=_retry_after(verdict))
    return verdict
