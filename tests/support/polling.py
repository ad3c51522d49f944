"""Polling with a deadline, only for effects that are asynchronous by design (a worker consuming an
event, a process starting): never to retry around a defect."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any


async def eventually(
    check: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05, what: str = "condition"
) -> Any:
    """Poll an async or sync check until it returns a truthy value; returns that value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} not met in {timeout}s")
        await asyncio.sleep(interval)


def eventually_sync(
    check: Callable[[], Any], timeout: float = 60.0, interval: float = 0.3, what: str = "condition"
) -> Any:
    """`eventually` for synchronous tests (separate processes polled over HTTP)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met in {timeout}s")
        time.sleep(interval)
