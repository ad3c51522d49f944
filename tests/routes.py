"""Every API route of an app, whatever way the FastAPI version nests included routers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute


def _walk(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # FastAPI >= 0.13x keeps included routers nested
            yield from _walk(route.original_router.routes)


def api_routes(app: FastAPI) -> list[APIRoute]:
    routes = list(_walk(app.routes))
    assert routes, "found no API routes: the app's routing structure changed"
    return routes
