"""Dependencies that hand a service its own context from the app's Runtime (no module singletons)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from reservo.platform.service import ServiceContext


def service_context(name: str) -> Callable[[Request], ServiceContext]:
    def get(request: Request) -> ServiceContext:
        ctx: ServiceContext = request.app.state.runtime.contexts[name]
        return ctx

    return get
