"""The gateway companion (`reservo gateway-meta`): what nginx cannot compute by itself.

- `/readyz`: 200 only when every upstream's /readyz answers 200; otherwise 503 naming the ones
  that are not ready (a load balancer in front of the gateway takes it out of rotation).
- `/openapi.json`: one API description for the whole platform, merged from every upstream's
  /openapi.json (each path from the service that owns it in routes.toml).
- `/docs`: a Swagger UI page over that merged description.
- `/metrics`: `reservo_gateway_upstream_ready{service}` (1/0) for Prometheus.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi.openapi.docs import get_swagger_ui_html
from prometheus_client import CollectorRegistry, Gauge, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reservo.platform.gateway import GATEWAY_ERRORS, NOT_FOUND
from reservo.platform.http.web import WebSettings, web_route
from reservo.platform.routing import owner_of

OPS_PATHS = ("/healthz", "/readyz", "/metrics")
PROBE_TIMEOUT = 3.0


async def _get(client: httpx.AsyncClient, url: str) -> httpx.Response | None:
    try:
        return await client.get(url, timeout=PROBE_TIMEOUT)
    except httpx.HTTPError:
        return None


async def readiness(client: httpx.AsyncClient, upstreams: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
    names = list(upstreams)
    answers = await asyncio.gather(*(_get(client, f"http://{upstreams[n]}/readyz") for n in names))
    services: dict[str, Any] = {}
    for name, answer in zip(names, answers, strict=True):
        services[name] = {"ready": answer is not None and answer.status_code == 200}
        services[name]["status"] = answer.status_code if answer is not None else "unreachable"
    ready = all(s["ready"] for s in services.values())
    not_ready = sorted(n for n, s in services.items() if not s["ready"])
    return (200 if ready else 503), {
        "status": "ready" if ready else "not_ready",
        "not_ready": not_ready,
        "services": services,
    }


def merge(specs: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Paths a service owns (routes.toml) from that service's spec; components unioned."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Reservo API",
            "version": "1",
            "description": "Every service, through the gateway.",
        },
        "paths": {},
        "components": {},
    }
    for service, spec in sorted(specs.items()):
        for path, item in spec.get("paths", {}).items():
            owner = owner_of(path)
            if path not in OPS_PATHS and owner is not None and owner.service == service:
                merged["paths"][path] = item
        for kind, entries in spec.get("components", {}).items():
            merged["components"].setdefault(kind, {}).update(entries)
    merged["paths"] = dict(sorted(merged["paths"].items()))
    return merged


def create_meta_app(upstreams: Mapping[str, str]) -> Starlette:
    client = httpx.AsyncClient()
    registry = CollectorRegistry()
    ready_gauge = Gauge(
        "reservo_gateway_upstream_ready",
        "1 when the service answers /readyz 200",
        ["service"],
        registry=registry,
    )

    async def readyz(_: Request) -> Response:
        status, body = await readiness(client, upstreams)
        return JSONResponse(body, status_code=status)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def metrics(_: Request) -> Response:
        body = (await readiness(client, upstreams))[1]
        for name, entry in body["services"].items():
            ready_gauge.labels(name).set(1 if entry["ready"] else 0)
        return Response(generate_latest(registry), media_type="text/plain; version=0.0.4")

    async def openapi(_: Request) -> Response:
        names = list(upstreams)
        answers = await asyncio.gather(*(_get(client, f"http://{upstreams[n]}/openapi.json") for n in names))
        missing = [n for n, a in zip(names, answers, strict=True) if a is None or a.status_code != 200]
        if missing:
            problem = {
                "type": "https://reservo.dev/problems/upstream-unavailable",
                "title": "Service unavailable",
                "status": 503,
                "detail": f"No API description from: {', '.join(sorted(missing))}",
                "code": "upstream_unavailable",
            }
            return JSONResponse(problem, status_code=503, media_type="application/problem+json")
        specs = {n: a.json() for n, a in zip(names, answers, strict=True) if a is not None}
        return JSONResponse(merge(specs))

    async def docs(_: Request) -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Reservo API")

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await client.aclose()

    async def problem(request: Request) -> Response:
        """The gateway's own problems for a proxy that fetches error bodies (Traefik's errors
        middleware asks /problems/{status}); anything else here is the route-not-found 404."""
        status = int(request.path_params.get("status", 404))
        body = GATEWAY_ERRORS.get(status, NOT_FOUND)
        code = status if status in GATEWAY_ERRORS else 404
        return Response(body, status_code=code, media_type="application/problem+json")

    routes = [
        Route("/problems/{status:int}", problem),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        Route("/openapi.json", openapi),
        Route("/docs", docs),
    ]
    # The web app and its runtime config (/web-config.json), as the all-in-one app serves them: where
    # no gateway serves the files itself (Kubernetes' Ingress, Traefik), every path no service owns
    # comes here; API paths never match the app's route and stay the problem+json 404 below. Without
    # a built app (a checkout without `make web`), only the config.
    web = WebSettings()
    if (web.dist / "index.html").is_file():
        routes.append(web_route(settings=web))
    else:
        config = web.public()

        async def web_config(_: Request) -> Response:
            return JSONResponse(config, headers={"Cache-Control": "no-cache"})

        routes.append(Route("/web-config.json", web_config))

    async def not_found(request: Request, exc: Exception) -> Response:
        return await problem(request)

    return Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found})
