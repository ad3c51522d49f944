"""Rate limiting: a sliding-window counter per key, behind an interface shared by memory and Redis.

`hit(key, limit, window)` counts one attempt and says whether it is allowed and, when not, after
how many seconds a retry may succeed. Callers turn a refusal into a 429 problem (RateLimited).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from reservo.platform.http.problems import RateLimited


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    remaining: int
    retry_after: float  # seconds until the oldest counted hit leaves the window; 0 when allowed


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: float) -> Verdict:
        """Count one attempt under `key`; refused attempts are not counted."""

    async def reset(self, key: str) -> None: ...


class MemoryRateLimiter:
    """Exact sliding window in one process (the all-in-one shape)."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, key: str, limit: int, window_seconds: float) -> Verdict:
        async with self._lock:
            now = time.monotonic()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - window_seconds:
                hits.popleft()
            if len(hits) >= limit:
                wait = hits[0] + window_seconds - now
                return Verdict(False, 0, max(wait, 0.0))
            hits.append(now)
            if len(self._hits) > 100_000:
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - window_seconds}
            return Verdict(True, limit - len(hits), 0.0)

    async def reset(self, key: str) -> None:
        async with self._lock:
            self._hits.pop(key, None)


async def enforce(limiter: RateLimiter, key: str, limit: int, window_seconds: float) -> None:
    """Count one attempt; raise a 429 problem with Retry-After when the window is full."""
    verdict = await limiter.hit(key, limit, window_seconds)
    if not verdict.allowed:
        raise RateLimited(
            f"At most {limit} attempts per {window_seconds:g} s",
            headers={"Retry-After": str(max(1, math.ceil(verdict.retry_after)))},
        )
