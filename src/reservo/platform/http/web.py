"""The web app (frontend/, built by Vite) served at `/` by the all-in-one process.

Files of the build are answered as they are; every other GET outside the API is a client route of
the single-page app and gets its index.html (so `/t/demo` or `/me/bookings` survive a reload).
`/api/...`, `/.well-known/...`, `/docs`, `/healthz` and the other routes registered before this one
are untouched: this route is added last and never matches `/api/...`.
"""

from __future__ import annotations

from pathlib import Path

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

import reservo

DEFAULT_DIST = Path(reservo.__file__).resolve().parents[2] / "frontend" / "dist"
_IMMUTABLE = "public, max-age=31536000, immutable"  # Vite puts a content hash in every asset name


class _ClientPath(Convertor[str]):
    """Any path except the API's and the well-known documents'."""

    regex = r"(?!api(?:/|$)|\.well-known/).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("clientpath", _ClientPath())


def web_route(dist: Path = DEFAULT_DIST) -> Route:
    root = dist.resolve()

    async def serve(request: Request) -> Response:
        path: str = request.path_params["path"]
        index = root / "index.html"
        if not index.is_file():
            return PlainTextResponse("The web app is not built: run `make web` (or `make run`).", 404)
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            cache = _IMMUTABLE if path.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        if path.startswith("assets/"):  # a stale hashed name: no HTML in place of a script
            return PlainTextResponse("Not found", 404)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return Route("/{path:clientpath}", serve, methods=["GET", "HEAD"], include_in_schema=False)
