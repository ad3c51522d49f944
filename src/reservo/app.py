"""create_app(specs, settings): the same modules build the all-in-one app and each single service."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from reservo.platform.config import Settings
from reservo.platform.http.browser import ClientAddressMiddleware, SecurityHeadersMiddleware
from reservo.platform.http.docs import install_docs
from reservo.platform.http.health import router as platform_router
from reservo.platform.http.idempotency import IdempotencyMiddleware
from reservo.platform.http.middleware import BodyLimitMiddleware, CorrelationMiddleware
from reservo.platform.http.openapi import describe
from reservo.platform.http.problems import install_problem_handlers
from reservo.platform.http.ratelimit import ApiRateLimitMiddleware
from reservo.platform.http.web import web_route
from reservo.platform.observability import configure_logging
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceSpec
from reservo.platform.tracing import configure_tracing

# Bearer tokens, not cookies: credentials are not allowed, so "*" would be safe but is not the default.
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "X-Booking-Token",
    "X-Correlation-ID",
]
CORS_RESPONSE_HEADERS = ["ETag", "Idempotent-Replayed", "Location", "Retry-After", "X-Correlation-ID"]


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
    configure_logging(settings.log_level, settings.log_json, service=",".join(s.name for s in specs))
    runtime = runtime or Runtime(settings, specs)
    run_workers = settings.embedded if workers is None else workers
    names = ", ".join(s.name for s in specs)
    app = FastAPI(
        title="Reservo" if len(specs) > 1 else f"Reservo {specs[0].name} service",
        version="0.1.0",
        description=f"Multi-tenant booking platform. Services in this process: {names}.",
        lifespan=runtime.lifespan_for(workers=run_workers),
        generate_unique_id_function=_operation_id,
        docs_url=None,  # served by install_docs, with local assets
        redoc_url=None,
    )
    app.state.runtime = runtime
    runtime.owners.attach(app)  # local owners answer through this app (platform/owner.py)
    app.state.settings = settings
    install_problem_handlers(app)
    app.include_router(platform_router)
    install_docs(app)
    for spec in specs:
        for router in spec.routers:
            app.include_router(router)
    if len(specs) > 1:  # the all-in-one process also serves the web app (the gateway does when apart)
        app.router.routes.append(web_route())
    # Outermost first: correlation id, client address, browser headers, CORS, rate limit, body limit,
    # then idempotency (which buffers the body and must not see the outer headers: no-store there
    # means "never replay").
    app.add_middleware(IdempotencyMiddleware, store=runtime.idempotency, verifier=runtime.verifier)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.rate_limit:
        app.add_middleware(ApiRateLimitMiddleware, limiter=runtime.rate_limiter, rate=settings.rate_limit)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=600,
        )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ClientAddressMiddleware, trusted=settings.trusted_proxies)
    app.add_middleware(CorrelationMiddleware)
    app.openapi = lambda: describe(app)  # type: ignore[method-assign]
    if configure_tracing(",".join(s.name for s in specs)):
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

        app.add_middleware(OpenTelemetryMiddleware)  # outermost: the request's span holds everything
    return app
