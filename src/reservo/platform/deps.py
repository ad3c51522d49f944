"""Dependencies that hand a service its own context from the app's Runtime (no module singletons).

Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in its threadpool,
a thread hand-off per dependency per request."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request

from reservo.platform.service import ServiceContext


def context_of(request: Request, name: str) -> ServiceContext:
    ctx: ServiceContext = request.app.state.runtime.contexts[name]
    return ctx


def service_context(name: str) -> Callable[[Request], Coroutine[Any, Any, ServiceContext]]:
    async def get(request: Request) -> ServiceContext:
        return context_of(request, name)

    return get
