"""A key source for services that run apart from the user service: its JWKS, fetched and cached.

Keys are fetched once and cached; an unknown `kid` triggers a refetch at most every
`min_refresh_seconds` (so a flood of forged kids cannot turn into a flood of requests), and the
cache is refreshed anyway after `max_age_seconds`, so retired keys stop verifying.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import structlog
from joserfc.errors import JoseError
from joserfc.jwk import JWKRegistry, Key

log = structlog.get_logger(__name__)


class RemoteJwks:
    def __init__(
        self,
        url: str,
        *,
        min_refresh_seconds: float = 30.0,
        max_age_seconds: float = 600.0,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self._min_refresh = min_refresh_seconds
        self._max_age = max_age_seconds
        self._timeout = timeout
        self._transport = transport
        self._keys: dict[str, Key] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def _fetch(self) -> None:
        self._fetched_at = time.monotonic()
        self.fetches += 1
        try:
            async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as client:
                response = await client.get(self.url)
                response.raise_for_status()
                document: Any = response.json()
            keys: dict[str, Key] = {}
            for jwk in document.get("keys", []):
                if isinstance(jwk, dict) and isinstance(jwk.get("kid"), str):
                    try:
                        keys[jwk["kid"]] = JWKRegistry.import_key(jwk)
                    except (JoseError, ValueError, TypeError):
                        log.warning("jwks.bad_key", url=self.url, kid=jwk.get("kid"))
            self._keys = keys
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            log.warning("jwks.fetch_failed", url=self.url, error=repr(exc))  # keep the old keys

    async def key(self, kid: str) -> Key | None:
        async with self._lock:
            age = None if self._fetched_at is None else time.monotonic() - self._fetched_at
            stale = age is None or age > self._max_age
            unknown = kid not in self._keys and (age is None or age > self._min_refresh)
            if stale or unknown:
                await self._fetch()
            return self._keys.get(kid)
