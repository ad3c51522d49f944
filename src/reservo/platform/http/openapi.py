"""The OpenAPI description tells the truth (issue 9 item 13).

FastAPI marks an operation Bearer-secured as soon as any dependency reads the header, public ones
too, and documents only the problems a route names. This pass, run once per app, fixes both from
what the routes declare: the role dependency (`__reservo_access__`, see platform/auth/deps.py) gives
the security requirement and the 401/403 answers, and the problems every operation can answer
(400 malformed body, cursor or header; 413; 422; 429) are documented with one Problem schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from reservo.platform.http.problems import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `errors` lists invalid fields (422).",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}
_REF = {"$ref": "#/components/schemas/Problem"}
_COMMON = {
    "400": "`malformed_request`, `invalid_cursor` or another malformed part of the request",
    "422": "`validation_failed`: fields outside their declared bounds",
    "429": "`rate_limited`: too many requests from this client (see Retry-After)",
}
_WITH_BODY = {"413": "`payload_too_large`: the body is over the size limit"}
_SIGNED_IN = {"401": "`unauthorized`: no valid access token"}
_ROLE = {"403": "`forbidden`: the token's roles do not allow this"}


def _access(dependant: Dependant) -> Iterator[str]:
    for dep in dependant.dependencies:
        access = getattr(dep.call, "__reservo_access__", None)
        if access is not None:
            yield access
        yield from _access(dep)


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)


def _add(responses: dict[str, Any], answers: dict[str, str]) -> None:
    for status, description in answers.items():
        entry = responses.setdefault(status, {"description": description})
        entry.setdefault("content", {}).setdefault(PROBLEM_JSON, {})["schema"] = _REF


def describe(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = FastAPI.openapi(app)
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    schemes = schema["components"].setdefault("securitySchemes", {})
    bearer = next(iter(schemes), "HTTPBearer")
    schemes.setdefault(bearer, {"type": "http", "scheme": "bearer"})
    for route in _routes(app.routes):
        if not route.include_in_schema:
            continue
        access = set(_access(route.dependant))
        path_item = schema["paths"].get(route.path_format, {})
        for method in route.methods or ():
            operation = path_item.get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for entry in responses.values():  # problems named by the route: same schema
                if PROBLEM_JSON in entry.get("content", {}):
                    entry["content"][PROBLEM_JSON] = {"schema": _REF}
            _add(responses, _COMMON)
            if "requestBody" in operation:
                _add(responses, _WITH_BODY)
            if not access or access == {"public"}:
                # Anonymous callers are answered; a token, if sent, is used (e.g. "my bookings").
                operation["security"] = [{}, {bearer: []}] if access else []
                continue
            operation["security"] = [{bearer: []}]
            _add(responses, _SIGNED_IN)
            if access & {"staff", "owner", "admin"}:
                _add(responses, _ROLE)
    app.openapi_schema = schema
    return schema
