"""The general API rate limit (RESERVO_RATE_LIMIT): off by default; when set, N requests per window
per client IP pass, the next gets a 429 problem with Retry-After; health probes are never limited."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from reservo.app import create_app
from reservo.platform.config import Settings
from reservo.platform.runtime import Runtime
from reservo.services import pick


async def _client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    specs = pick(["user"])
    runtime = Runtime(settings, specs)
    app = create_app(specs, settings, runtime=runtime)
    async with runtime.running(workers=False):
        yield httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reservo.test")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
class TestApiRateLimit:
    async def test_off_by_default(self, settings: Settings) -> None:
        async for client in _client(settings):
            statuses = {(await client.get("/api/v1/tenants/nope")).status_code for _ in range(30)}
            assert statuses == {404}

    async def test_n_per_window_then_429_with_retry_after(self, settings: Settings) -> None:
        limited = settings.model_copy(update={"rate_limit": "3/60"})
        async for client in _client(limited):
            statuses = [(await client.get("/api/v1/tenants/nope")).status_code for _ in range(3)]
            refused = await client.get("/api/v1/tenants/nope")
            assert statuses == [404, 404, 404]
            assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")
            assert refused.headers["content-type"] == "application/problem+json"
            assert 1 <= int(refused.headers["Retry-After"]) <= 60
            assert (await client.get("/healthz")).status_code == 200


def test_a_malformed_rate_is_refused_at_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESERVO_RATE_LIMIT", "lots")
    with pytest.raises(ValueError, match="100/60"):
        Settings()
