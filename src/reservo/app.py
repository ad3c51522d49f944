"""create_app(specs, settings): the same modules build the all-in-one app and each single service."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.routing import APIRoute

from reservo.platform.config import Settings
from reservo.platform.http.health import router as platform_router
from reservo.platform.http.idempotency import IdempotencyMiddleware
from reservo.platform.http.middleware import BodyLimitMiddleware, CorrelationMiddleware
from reservo.platform.http.problems import install_problem_handlers
from reservo.platform.http.ratelimit import ApiRateLimitMiddleware
from reservo.platform.http.web import web_route
from reservo.platform.observability import configure_logging
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceSpec


def _operation_id(route: APIRoute) -> str:
    tag = route.tags[0] if route.tags else "ops"
    return f"{tag}-{route.name}"


def create_app(
    specs: Sequence[ServiceSpec],
    settings: Settings,
    *,
    runtime: Runtime | None = None,
    workers: bool | None = None,
) -> FastAPI:
    """Build the app. `workers` (relays, consumers, jobs in this process) defaults to the embedded shape."""
    configure_logging(settings.log_level, settings.log_json)
    runtime = runtime or Runtime(settings, specs)
    run_workers = settings.embedded if workers is None else workers
    names = ", ".join(s.name for s in specs)
    app = FastAPI(
        title="Reservo" if len(specs) > 1 else f"Reservo {specs[0].name} service",
        version="0.1.0",
        description=f"Multi-tenant booking platform. Services in this process: {names}.",
        lifespan=runtime.lifespan_for(workers=run_workers),
        generate_unique_id_function=_operation_id,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(platform_router)
    for spec in specs:
        for router in spec.routers:
            app.include_router(router)
    if len(specs) > 1:  # the all-in-one process also serves the web app (the gateway does when apart)
        app.router.routes.append(web_route())
    # Outermost first: correlation id, then body limit, then idempotency (which buffers the body).
    app.add_middleware(IdempotencyMiddleware, store=runtime.idempotency)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.rate_limit:
        app.add_middleware(
            ApiRateLimitMiddleware,
            limiter=runtime.rate_limiter,
            rate=settings.rate_limit,
            trust_forwarded=settings.trust_forwarded,
        )
    app.add_middleware(CorrelationMiddleware)
    return app
