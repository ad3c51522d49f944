"""A local fake of TikTok's Events API 2.0, following reference/integrations.md §5 and §8.4.

`POST /open_api/v1.3/event/track/` with `Access-Token`; checks the payload as TikTok does (pixel
code, `event_time` an int of seconds, hashes 64 lowercase hex, `content_id` a string) and answers
HTTP 200 with a `code` (0 OK; 40001/40002/40105 ... on errors). `outage` scripts the next answers:
("http", 500) for a plain 5xx page, ("code", 40100) for an HTTP 200 carrying an error code.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

ACCESS_TOKEN = "tt-events-token-acme-0001"
PIXEL_CODE = "CPIXELACME01"
HEX64 = re.compile(r"^[0-9a-f]{64}$")
STANDARD_EVENTS = frozenset(
    {
        "AddPaymentInfo", "AddToCart", "AddToWishlist", "CompletePayment", "CompleteRegistration", "Contact",
        "Download", "InitiateCheckout", "Lead", "PlaceAnOrder", "Purchase", "Schedule", "Search",
        "SubmitForm", "Subscribe", "ViewContent",
    }
)  # fmt: skip


def _answer(code: int, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "request_id": secrets.token_hex(8), "data": {}})


def _invalid(event: dict[str, Any]) -> str | None:
    if event.get("event") not in STANDARD_EVENTS:
        return f"event: unknown event {event.get('event')!r}"
    if not isinstance(event.get("event_time"), int):
        return "event_time: Not a valid integer"
    if not isinstance(event.get("event_id"), str):
        return "event_id: Not a valid string"
    user = event.get("user", {})
    for key in ("email", "phone", "external_id"):
        if key in user and not HEX64.match(str(user[key])):
            return f"user.{key}: must be a SHA-256 hash"
    for content in event.get("properties", {}).get("contents", []):
        if not isinstance(content.get("content_id"), str):
            return "properties.contents.content_id: Not a valid string"
    return None


@dataclass
class FakeTikTok:
    token: str = ACCESS_TOKEN
    pixel_code: str = PIXEL_CODE
    outage: list[tuple[str, int]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)  # every body received
    accepted: list[dict[str, Any]] = field(default_factory=list)  # events answered with code 0

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/open_api/v1.3/event/track/", self.track, methods=["POST"])])

    def accepted_ids(self) -> list[str]:
        return [e["event_id"] for e in self.accepted]

    async def track(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _answer(40002, "Invalid JSON")
        self.requests.append(body)
        if self.outage:
            kind, value = self.outage.pop(0)
            if kind == "http":
                return PlainTextResponse("<html>upstream error</html>", status_code=value)
            return _answer(value, "scripted error")
        if request.headers.get("access-token") != self.token:
            return _answer(40105, "Access token is null or invalid")
        if body.get("event_source") != "web" or body.get("event_source_id") != self.pixel_code:
            return _answer(40001, "No permission to operate pixel")
        data = body.get("data")
        if not isinstance(data, list) or not data:
            return _answer(40002, "data: Missing data for required field")
        for event in data:
            if (problem := _invalid(event)) is not None:
                return _answer(40002, problem)
        self.accepted.extend(data)
        return _answer(0, "OK")
