"""Redis-backed stores against a real Redis: the rate limit and idempotency keys shared by two API
processes, and the tenant-slug cache invalidated by `user.tenant.updated` across runtimes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from reservo.contracts.events.user import TenantCreated, TenantUpdated
from reservo.platform.auth.keys import KeyStore
from reservo.platform.cache import RedisCache
from reservo.platform.config import Settings
from reservo.platform.events.envelope import Envelope, RawEnvelope
from reservo.platform.http.ratelimit import RedisRateLimiter
from tests.conftest import Api
from tests.distributed.procs import Cluster, cluster
from tests.support.polling import eventually

pytestmark = [pytest.mark.redis]


def _env(settings: Settings, redis_url: str, redis_prefix: str, **extra: str) -> dict[str, str]:
    assert settings.database_url
    # One signing key shared by both processes, made before they start (as `reservo keys rotate`).
    KeyStore(settings.data_dir / "keys", retire_after=timedelta(days=1)).ensure(create=True)
    return {
        "RESERVO_DATABASE_URL": settings.database_url,
        "RESERVO_DATA_DIR": str(settings.data_dir),
        "RESERVO_REDIS_URL": redis_url,
        "RESERVO_REDIS_PREFIX": redis_prefix,
        "RESERVO_LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture
def two_user_apis(
    settings: Settings, redis_url: str, redis_prefix: str, tmp_path: Path
) -> Iterator[tuple[Cluster, str, str]]:
    with cluster(tmp_path, _env(settings, redis_url, redis_prefix, RESERVO_RATE_LIMIT="5/60")) as c:
        a = c.serve("user", name="user-a")
        b = c.serve("user", name="user-b")
        yield c, a.url, b.url


class TestRateLimiter:
    async def test_sliding_window_refuses_past_the_limit_with_retry_after(
        self, redis_url: str, redis_prefix: str
    ) -> None:
        client = aioredis.from_url(redis_url)
        limiter = RedisRateLimiter(client, redis_prefix)
        try:
            verdicts = [await limiter.hit("ip:1", 3, 0.5) for _ in range(4)]
            assert [v.allowed for v in verdicts] == [True, True, True, False]
            assert [v.remaining for v in verdicts[:3]] == [2, 1, 0]
            assert 0 < verdicts[3].retry_after <= 0.5
            assert (await limiter.hit("ip:2", 3, 0.5)).allowed, "another key has its own window"
            await asyncio.sleep(0.55)
            assert (await limiter.hit("ip:1", 3, 0.5)).allowed, "the window slid past the old hits"
        finally:
            await client.aclose()

    async def test_undo_takes_back_exactly_the_attempt_it_names(
        self, redis_url: str, redis_prefix: str
    ) -> None:
        client = aioredis.from_url(redis_url)
        limiter = RedisRateLimiter(client, redis_prefix)
        try:
            first, second = await limiter.hit("hold:1", 2, 60), await limiter.hit("hold:1", 2, 60)
            refused = await limiter.hit("hold:1", 2, 60)
            assert not refused.allowed and not refused.hit
            await limiter.undo("hold:1", second)
            await limiter.undo("hold:1", second)  # taken back once only
            await limiter.undo("hold:1", refused)  # never counted: nothing to take back
            assert (await limiter.hit("hold:1", 2, 60)).allowed
            assert not (await limiter.hit("hold:1", 2, 60)).allowed
            await limiter.undo("hold:1", first)
            assert (await limiter.hit("hold:1", 2, 60)).allowed
        finally:
            await client.aclose()

    @pytest.mark.postgres
    @pytest.mark.slow
    def test_the_api_limit_holds_across_two_processes_sharing_redis(
        self, two_user_apis: tuple[Cluster, str, str]
    ) -> None:
        _, a, b = two_user_apis
        responses = [httpx.get(f"{(a, b)[i % 2]}/api/v1/tenants/nope", timeout=10) for i in range(12)]
        statuses = [r.status_code for r in responses]
        assert statuses.count(404) == 5 and statuses.count(429) == 7, statuses
        refused = next(r for r in responses if r.status_code == 429)
        assert refused.json()["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert httpx.get(f"{a}/healthz", timeout=10).status_code == 200, "probes are not limited"


class TestIdempotencyAcrossProcesses:
    @pytest.mark.postgres
    @pytest.mark.slow
    def test_a_retry_on_another_process_replays_the_first_answer(
        self, settings: Settings, redis_url: str, redis_prefix: str, tmp_path: Path
    ) -> None:
        with cluster(tmp_path, _env(settings, redis_url, redis_prefix)) as c:
            a, b = c.serve("user", name="user-a"), c.serve("user", name="user-b")
            account = {"email": "o@acme.example", "password": "correct horse battery", "name": "O"}
            signed_up = httpx.post(f"{a.url}/api/v1/auth/register", json=account, timeout=10)
            assert signed_up.status_code == 201, signed_up.text
            token = signed_up.json()["access_token"]
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "k-1"}
            body = {"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"}
            first = httpx.post(f"{a.url}/api/v1/tenants", json=body, headers=headers, timeout=10)
            again = httpx.post(f"{b.url}/api/v1/tenants", json=body, headers=headers, timeout=10)
            other = httpx.post(
                f"{b.url}/api/v1/tenants", json={**body, "name": "Other"}, headers=headers, timeout=10
            )
            fresh = httpx.post(
                f"{b.url}/api/v1/tenants",
                json=body,
                headers={**headers, "Idempotency-Key": "k-2"},
                timeout=10,
            )
        assert first.status_code == 201
        # The replay is the first answer without the creator's access token (never stored, D9-2).
        assert first.json()["access_token"]
        assert (again.status_code, again.json()) == (201, {**first.json(), "access_token": None})
        assert again.headers["idempotent-replayed"] == "true"
        assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
        assert (fresh.status_code, fresh.json()["code"]) == (409, "slug_taken"), "only one tenant was created"


def _tenant_event(cls: type[TenantCreated], tenant_id: uuid.UUID, slug: str, at: datetime) -> RawEnvelope:
    data = cls(id=tenant_id, slug=slug, name=slug.title(), timezone="Europe/Berlin", currency="EUR")
    return Envelope.wrap(data, tenant_id=tenant_id, now=at)


class TestTenantCache:
    @pytest.mark.postgres
    async def test_a_renamed_tenant_is_not_served_from_a_stale_cache_in_another_runtime(
        self, make_api: Any, redis_url: str, redis_prefix: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        api_redis, worker_redis = aioredis.from_url(redis_url), aioredis.from_url(redis_url)
        try:
            # Two runtimes sharing a database and Redis, like `serve catalog` and `worker catalog`.
            api: Api = await make_api(["catalog"], workers=False, cache=RedisCache(api_redis, redis_prefix))
            worker: Api = await make_api(["catalog"], cache=RedisCache(worker_redis, redis_prefix))

            async def user_service_knows(service: str, path: str, **_: Any) -> dict[str, Any] | None:
                # A replica miss asks the user service (D9-1); here it knows only the renamed slug.
                assert (service, path) == ("user", "/api/v1/tenants/acme"), path
                return None

            monkeypatch.setattr(api.runtime.owners, "get_json", user_service_knows)
            consumer = worker.runtime.consumers["catalog"]
            tenant_id, now = uuid.uuid4(), datetime.now(UTC)
            await consumer.deliver(_tenant_event(TenantCreated, tenant_id, "acme", now))

            assert (await api.client.get("/api/v1/tenants/acme/offerings")).status_code == 200
            assert await api_redis.exists(f"{redis_prefix}cache:tenant:catalog:acme"), "the slug was cached"
            # Once the api's process hears invalidations, it keeps the tenant in its own memory too.
            near = api.runtime.cache.near
            await eventually(lambda: near.listening, what="the invalidation channel subscribed")
            assert (await api.client.get("/api/v1/tenants/acme/offerings")).status_code == 200
            assert near.get("tenant:catalog:acme") is not None, "kept in this process (D15-51)"

            await consumer.deliver(
                _tenant_event(TenantUpdated, tenant_id, "acme-two", now + timedelta(seconds=1))
            )
            await asyncio.sleep(0.1)  # the after-commit invalidation
            gone = await api.client.get("/api/v1/tenants/acme/offerings")
            assert (gone.status_code, gone.json()["code"]) == (404, "tenant_not_found")
            assert (await api.client.get("/api/v1/tenants/acme-two/offerings")).status_code == 200
        finally:
            await api_redis.aclose()
            await worker_redis.aclose()


class TestRedisDown:
    @pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
    async def test_the_api_keeps_answering_with_redis_unreachable_and_readyz_says_so(
        self, settings: Settings
    ) -> None:
        from reservo.app import create_app
        from reservo.platform.runtime import Runtime
        from reservo.services import pick
        from tests.distributed.procs import free_port

        dead = settings.model_copy(
            update={"redis_url": f"redis://127.0.0.1:{free_port()}/0", "rate_limit": "2/60"}
        )
        specs = pick(["catalog"])
        runtime = Runtime(dead, specs)
        app = create_app(specs, dead, runtime=runtime)
        async with runtime.running(workers=True):
            tenant_id = uuid.uuid4()
            await runtime.consumers["catalog"].deliver(
                _tenant_event(TenantCreated, tenant_id, "acme", datetime.now(UTC))
            )
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reservo.test")
            statuses = [(await client.get("/api/v1/tenants/acme/offerings")).status_code for _ in range(4)]
            ready = await client.get("/readyz")
            keyed = await client.post(
                "/api/v1/tenants/acme/offerings", json={}, headers={"Idempotency-Key": "k-1"}
            )
        assert statuses == [200] * 4, "the general limit fails open and the cache falls back to the database"
        assert (keyed.status_code, keyed.json()["code"]) == (503, "dependency_unavailable"), (
            "Idempotency-Key fails closed with a problem, never a 500"
        )
        assert keyed.headers["retry-after"] == "5"
        assert ready.status_code == 503 and ready.json()["checks"]["cache"].startswith("error")
