"""RFC 9457 problem responses: services raise Problem subclasses; one handler renders them."""

from __future__ import annotations

from typing import Any, ClassVar

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

log = structlog.get_logger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self, detail: str | None = None, *, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers
        self.extra = extra

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://reservo.dev/problems/{self.code.replace('_', '-')}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class NotFound(Problem):
    status, code, title = 404, "not_found", "Resource not found"


class MethodNotAllowed(Problem):
    status, code, title = 405, "method_not_allowed", "Method not allowed"


class MalformedRequest(Problem):
    status, code, title = 400, "malformed_request", "The request body is not valid JSON"


class ValidationFailed(Problem):
    status, code, title = 422, "validation_failed", "The request has invalid fields"


class PayloadTooLarge(Problem):
    status, code, title = 413, "payload_too_large", "The request body is too large"


class Unauthorized(Problem):
    status, code, title = 401, "unauthorized", "Authentication required"


class Forbidden(Problem):
    status, code, title = 403, "forbidden", "Not allowed"


class Conflict(Problem):
    status, code, title = 409, "conflict", "Conflict"


class VersionConflict(Problem):
    status, code, title = (
        409,
        "version_conflict",
        "The resource was changed by someone else; reload and retry",
    )


class InvalidCursor(Problem):
    status, code, title = 400, "invalid_cursor", "The pagination cursor is invalid"


class IdempotencyKeyReused(Problem):
    status, code, title = (
        422,
        "idempotency_key_reused",
        "This Idempotency-Key was used with another request body",
    )


class IdempotencyInFlight(Problem):
    status, code, title = 409, "idempotency_in_flight", "A request with this Idempotency-Key is still running"


class RateLimited(Problem):
    status, code, title = 429, "rate_limited", "Too many requests; retry later"


class DependencyUnavailable(Problem):
    status, code, title = 503, "dependency_unavailable", "A backing service is unavailable; retry shortly"


class InternalError(Problem):
    status, code, title = 500, "internal_error", "Internal server error"


def problem_response(problem: Problem, instance: str | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(instance), status_code=problem.status, headers=problem.headers, media_type=PROBLEM_JSON
    )


def problem_responses(*problems: type[Problem]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the problems a route can answer."""
    out: dict[int | str, dict[str, Any]] = {}
    p: type[Problem]
    for p in (*problems, ValidationFailed):
        entry = out.setdefault(p.status, {"description": "", "content": {PROBLEM_JSON: {"example": {}}}})
        entry["description"] = " / ".join(filter(None, [entry["description"], f"`{p.code}`: {p.title}"]))
    return out


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type"), "msg": e.get("msg")}
        for e in exc.errors()
    ]


def _allowed(routes: list[Any], path: str) -> list[str]:
    methods: set[str] = set()
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI >= 0.13x keeps included routers nested
            methods.update(_allowed(route.original_router.routes, path))
        elif isinstance(route, APIRoute) and route.path_regex.match(path):
            methods.update(route.methods or ())
    return sorted(methods)


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request.url.path)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return problem_response(MalformedRequest(), request.url.path)
        errors = _field_errors(exc)
        return problem_response(
            ValidationFailed(f"{len(errors)} invalid field(s)", errors=errors), request.url.path
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        problem: Problem
        if exc.status_code == 404:
            problem = NotFound(f"No route or resource at {request.url.path}")
        elif exc.status_code == 413:
            problem = PayloadTooLarge()
        elif exc.status_code == 405:
            # RFC 9110 §15.5.6: name every method of the path (Starlette names only the first route's).
            problem = MethodNotAllowed(
                headers={"Allow": ", ".join(_allowed(request.app.routes, request.url.path))}
            )
        else:
            problem = Problem(str(exc.detail))
            problem.status = exc.status_code  # type: ignore[misc]  # an instance override of the class default
        return problem_response(problem, request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("http.unhandled", path=request.url.path)
        return problem_response(InternalError(), request.url.path)

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)
