"""Idempotency-Key for creating POSTs: same key and body replay the first response; another body is 422.

Keys are scoped to the principal and the path (docs/decisions.md D9-2): a signed-in caller is its user
id, so a retry after a token refresh replays instead of booking twice; an anonymous caller (or one
whose token does not verify, which the endpoint treats as anonymous) is its client address.
The store never holds a secret, so a replay can hand none out: token pairs (`refresh_token`) are not
stored at all, and an `access_token` field (a guest's booking token, the creator's fresh token) is
removed from what is stored; a replay answers the resource without it.
Only final answers are stored (2xx and 4xx other than 401/403/409/429): a retry after signing in again,
a conflict or a rate limit must be able to succeed later.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reservo.platform.auth.actor import TokenVerifier
from reservo.platform.http.middleware import header
from reservo.platform.http.problems import (
    DependencyUnavailable,
    IdempotencyInFlight,
    IdempotencyKeyReused,
    Problem,
    ValidationFailed,
    problem_response,
)

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    fingerprint: str
    status: int | None  # None while the first request is still running
    headers: list[tuple[str, str]]
    body: bytes


class IdempotencyStore(Protocol):
    async def begin(self, key: str, fingerprint: str, ttl: float) -> StoredResponse | None:
        """Reserve `key` atomically; return what is already stored under it, or None if reserved now."""

    async def complete(self, key: str, response: StoredResponse, ttl: float) -> None: ...

    async def release(self, key: str) -> None: ...


class MemoryIdempotencyStore:
    def __init__(self) -> None:
        self._data: dict[str, tuple[float, StoredResponse]] = {}
        self._lock = asyncio.Lock()

    async def begin(self, key: str, fingerprint: str, ttl: float) -> StoredResponse | None:
        async with self._lock:
            now = time.monotonic()
            found = self._data.get(key)
            if found and found[0] > now:
                return found[1]
            self._data[key] = (now + ttl, StoredResponse(fingerprint, None, [], b""))
            if len(self._data) > 100_000:
                self._data = {k: v for k, v in self._data.items() if v[0] > now}
            return None

    async def complete(self, key: str, response: StoredResponse, ttl: float) -> None:
        self._data[key] = (time.monotonic() + ttl, response)

    async def release(self, key: str) -> None:
        self._data.pop(key, None)


def _dump(response: StoredResponse) -> str:
    return json.dumps(
        {
            "fingerprint": response.fingerprint,
            "status": response.status,
            "headers": response.headers,
            "body": base64.b64encode(response.body).decode(),
        }
    )


def _load(raw: bytes | str) -> StoredResponse:
    data: dict[str, Any] = json.loads(raw)
    return StoredResponse(
        data["fingerprint"],
        data["status"],
        [(k, v) for k, v in data["headers"]],
        base64.b64decode(data["body"]),
    )


class RedisIdempotencyStore:
    """Shared by every API process: `begin` reserves with SET NX and a TTL, so one request wins."""

    def __init__(self, redis: Redis, prefix: str = "reservo:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def begin(self, key: str, fingerprint: str, ttl: float) -> StoredResponse | None:
        name = self._prefix + key
        pending = _dump(StoredResponse(fingerprint, None, [], b""))
        ttl_ms = int(ttl * 1000)
        for _ in range(3):
            if await self._redis.set(name, pending, nx=True, px=ttl_ms):
                return None
            raw = await self._redis.get(name)
            if raw is not None:
                return _load(raw)
            # The holder released or it expired between SET and GET: try to reserve again.
        raise RuntimeError(f"idempotency key {key!r} keeps changing hands")

    async def complete(self, key: str, response: StoredResponse, ttl: float) -> None:
        await self._redis.set(self._prefix + key, _dump(response), px=int(ttl * 1000))

    async def release(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)


SECRET_FIELDS = ("access_token",)


def _storable(headers: list[tuple[str, str]], body: bytes) -> tuple[list[tuple[str, str]], bytes] | None:
    """What may be kept of a response: None for a token pair, else the body without secret fields."""
    if not any(k.lower() == "content-type" and "json" in v for k, v in headers):
        return headers, body
    try:
        data = json.loads(body)
    except ValueError:
        return headers, body
    if not isinstance(data, dict):
        return headers, body
    if "refresh_token" in data:
        return None
    if not any(data.get(f) for f in SECRET_FIELDS):
        return headers, body
    redacted = json.dumps({**data, **{f: None for f in SECRET_FIELDS if f in data}}).encode()
    kept = [(k, v) for k, v in headers if k.lower() != "content-length"]
    return [*kept, ("content-length", str(len(redacted)))], redacted


class IdempotencyMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        store: IdempotencyStore,
        verifier: TokenVerifier | None = None,
        ttl_seconds: float = 24 * 3600,
    ) -> None:
        self.app = app
        self.store = store
        self.verifier = verifier
        self.ttl = ttl_seconds

    async def _principal(self, scope: Scope) -> str:
        """The user behind a valid bearer token; otherwise the client address."""
        authorization = header(scope, b"authorization") or ""
        scheme, _, token = authorization.partition(" ")
        if self.verifier is not None and scheme.lower() == "bearer" and token:
            try:
                actor = await self.verifier.verify(token.strip())
            except Problem:
                pass
            else:
                return f"user:{actor.user_id}"
        client = scope.get("client")
        return f"anon:{client[0] if client else 'unknown'}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = (
            header(scope, b"idempotency-key")
            if scope["type"] == "http" and scope["method"] == "POST"
            else None
        )
        if key is None:
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= 255:
            await self._problem(
                ValidationFailed("Idempotency-Key must be 1 to 255 characters"), scope, receive, send
            )
            return
        body, replay_receive = await _read_body(receive)
        who = hashlib.sha256((await self._principal(scope)).encode()).hexdigest()[:24]
        store_key = f"idem:{who}:{scope['path']}:{key}"
        fingerprint = hashlib.sha256(_canonical(body)).hexdigest()
        try:
            existing = await self.store.begin(store_key, fingerprint, self.ttl)
        except Exception as exc:
            # Fail closed: without the store a retry could apply twice, so refuse with a 503 problem.
            log.warning("idempotency.unavailable", error=repr(exc))
            problem = DependencyUnavailable("Idempotency-Key store unavailable", headers={"Retry-After": "5"})
            await self._problem(problem, scope, receive, send)
            return
        if existing is not None:
            if existing.fingerprint != fingerprint:
                await self._problem(IdempotencyKeyReused(), scope, receive, send)
            elif existing.status is None:
                await self._problem(IdempotencyInFlight(headers={"Retry-After": "1"}), scope, receive, send)
            else:
                await _replay(existing, send)
            return

        status = 0
        headers: list[tuple[str, str]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message.get("headers", [])]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_receive, capture)
        finally:
            # 401/403 are not final: the same user retries once signed in again (e.g. after a revocation).
            final = 200 <= status < 300 or (400 <= status < 500 and status not in (401, 403, 409, 429))
            kept = _storable(headers, b"".join(chunks)) if final else None
            if kept is not None:
                kept_headers, kept_body = kept
                stored = StoredResponse(
                    fingerprint, status, [*kept_headers, ("idempotent-replayed", "true")], kept_body
                )
                await self.store.complete(store_key, stored, self.ttl)
            else:
                await self.store.release(store_key)

    async def _problem(self, problem: Problem, scope: Scope, receive: Receive, send: Send) -> None:
        await problem_response(problem, scope["path"])(scope, receive, send)


def _canonical(body: bytes) -> bytes:
    try:
        return json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return body


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


async def _replay(stored: StoredResponse, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": stored.status,
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers],
        }
    )
    await send({"type": "http.response.body", "body": stored.body})
