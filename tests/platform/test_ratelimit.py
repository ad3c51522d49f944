"""The in-memory sliding window: N attempts per window pass, the next is refused until the window moves."""

from __future__ import annotations

import asyncio

import pytest

from reservo.platform.http.problems import RateLimited
from reservo.platform.http.ratelimit import MemoryRateLimiter, enforce


async def test_window_allows_limit_then_refuses_with_retry_after() -> None:
    limiter = MemoryRateLimiter()
    verdicts = [await limiter.hit("ip:1", 3, 0.3) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert [v.remaining for v in verdicts[:3]] == [2, 1, 0]
    assert 0 < verdicts[3].retry_after <= 0.3
    assert (await limiter.hit("ip:2", 3, 0.3)).allowed, "another key has its own window"
    await asyncio.sleep(0.31)
    assert (await limiter.hit("ip:1", 3, 0.3)).allowed, "the window slid past the old hits"


async def test_enforce_raises_429_problem_with_retry_after() -> None:
    limiter = MemoryRateLimiter()
    await enforce(limiter, "login:ann", 1, 60)
    with pytest.raises(RateLimited) as refused:
        await enforce(limiter, "login:ann", 1, 60)
    assert refused.value.status == 429
    assert refused.value.headers == {"Retry-After": "60"}
    await limiter.reset("login:ann")
    await enforce(limiter, "login:ann", 1, 60)


async def test_undo_takes_back_exactly_the_attempt_it_names() -> None:
    limiter = MemoryRateLimiter()
    first, second = await limiter.hit("hold:1", 2, 60), await limiter.hit("hold:1", 2, 60)
    assert not (await limiter.hit("hold:1", 2, 60)).allowed
    await limiter.undo("hold:1", second)
    await limiter.undo("hold:1", second)  # taken back once only
    assert (await limiter.hit("hold:1", 2, 60)).allowed
    refused = await limiter.hit("hold:1", 2, 60)
    assert not refused.allowed and not refused.hit
    await limiter.undo("hold:1", refused)  # a refused attempt was never counted: nothing to take back
    assert not (await limiter.hit("hold:1", 2, 60)).allowed
    await limiter.undo("hold:1", first)
    assert (await limiter.hit("hold:1", 2, 60)).allowed
