"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs latency on every request)."""

from __future__ import annotations

import re
import time
import uuid
from functools import lru_cache
from typing import Any

import structlog
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reservo.platform.context import correlation_id
from reservo.platform.http.problems import PayloadTooLarge, problem_response
from reservo.platform.observability import HTTP_LATENCY, HTTP_REQUESTS

log = structlog.get_logger("reservo.http")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class CorrelationMiddleware:
    """Takes X-Correlation-ID (or makes one), binds it for logs and events, echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-correlation-id")
        cid = given if given and _SAFE_ID.match(given) else str(uuid.uuid4())
        token = correlation_id.set(cid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-correlation-id", cid.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", "<unmatched>")
            _requests(scope["method"], template, status).inc()
            _latency(scope["method"], template).observe(elapsed)
            if status >= 500:
                log.error(
                    "http.request",
                    method=scope["method"],
                    path=scope["path"],
                    status=status,
                    ms=round(elapsed * 1000, 1),
                )
            correlation_id.reset(token)


# The metrics' labelled children, looked up once per label set: `labels()` takes a lock and
# validates the label values on every call. Routes are templates, so the sets are few.
@lru_cache(maxsize=4096)
def _requests(method: str, route: str, status: int) -> Any:
    return HTTP_REQUESTS.labels(method, route, str(status))


@lru_cache(maxsize=4096)
def _latency(method: str, route: str) -> Any:
    return HTTP_LATENCY.labels(method, route)


class BodyLimitMiddleware:
    """Answers 413 for bodies over the limit, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await problem_response(PayloadTooLarge(f"Limit is {self.max_bytes} bytes"), scope["path"])(
                scope, receive, send
            )
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await problem_response(PayloadTooLarge(f"Limit is {self.max_bytes} bytes"), scope["path"])(
                scope, receive, send
            )


class _TooLarge(StarletteHTTPException):
    # An HTTPException, so that FastAPI's body parsing re-raises it instead of turning it into a 400.
    def __init__(self) -> None:
        super().__init__(413)


def _header(scope: Scope, name: bytes) -> str | None:
    headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def header(scope: Scope, name: bytes) -> str | None:
    return _header(scope, name)


__all__: list[Any] = ["BodyLimitMiddleware", "CorrelationMiddleware", "header"]
