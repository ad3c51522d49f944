"""Fixtures: every test gets fresh databases (SQLite files or PostgreSQL databases made from a
migrated template), an app built from the specs it needs, and an HTTP client on it.

PostgreSQL comes from RESERVO_TEST_POSTGRES_URL (scripts/services.sh starts one). Without it the
postgres tests skip, except under CI=true, where a missing engine fails them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from reservo.app import create_app
from reservo.platform.config import Settings
from reservo.platform.db.migrate import upgrade
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceSpec
from reservo.services import REGISTRY, pick

# Services' own settings come from the environment (RESERVO_<SERVICE>_..., D10-3); these defaults
# hold for every runtime a test makes, in this process and in the processes it starts. argon2id stays
# argon2id, just cheaper, so hundreds of test sign-ups take seconds. Tests book many times as one
# guest from one address; the hold limits have their own tests (tests/hardening/test_holds.py).
for _name, _value in {
    "RESERVO_USER_ARGON2_TIME_COST": "1",
    "RESERVO_USER_ARGON2_MEMORY_KIB": "1024",
    "RESERVO_BOOKING_MAX_HOLDS_PER_EMAIL": "10000",
    "RESERVO_BOOKING_MAX_HOLDS_PER_CLIENT": "10000",
}.items():
    os.environ.setdefault(_name, _value)

PG_URL = os.environ.get("RESERVO_TEST_POSTGRES_URL", "postgresql://reservo@127.0.0.1:55432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _asyncpg_url(url: str, database: str) -> str:
    base = url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{base}/{database}"


async def _pg_execute(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_URL, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _blocking(coro: Any) -> Any:
    """Run a coroutine to completion from sync code, even when an event loop is already running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _pg_available() -> str | None:
    try:
        _blocking(_pg_execute("SELECT 1"))
        return None
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {exc!r}"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sqlite-template")
    settings = Settings(data_dir=folder)

    async def migrate_all() -> None:
        for spec in REGISTRY:
            await upgrade(spec, settings.database_url_for(spec.name))

    _blocking(migrate_all())
    return folder


@pytest.fixture(scope="session")
def pg_template() -> str:
    """Migrated template databases, one per service, named reservo_tpl_<run>_<service>."""
    problem = _pg_available()
    if problem:
        if IN_CI:
            pytest.fail(problem)
        pytest.skip(problem)
    run = uuid.uuid4().hex[:8]

    async def build() -> None:
        for spec in REGISTRY:
            name = f"reservo_tpl_{run}_{spec.name}"
            await _pg_execute(f'CREATE DATABASE "{name}"')
            await upgrade(spec, _asyncpg_url(PG_URL, name))

    _blocking(build())
    yield run  # type: ignore[misc]

    async def drop() -> None:
        for spec in REGISTRY:
            await _pg_execute(f'DROP DATABASE IF EXISTS "reservo_tpl_{run}_{spec.name}" WITH (FORCE)')

    _blocking(drop())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def settings(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Settings]:
    """Settings pointing at fresh, migrated databases for every service."""
    base: dict[str, Any] = {
        "data_dir": tmp_path,
        "environment": "test",
        "log_json": True,
        "log_level": "WARNING",
        "consumer_backoff_seconds": 0.01,
        "relay_poll_seconds": 0.2,
    }
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        for db in template.glob("*.db"):
            shutil.copy(db, tmp_path / db.name)
        yield Settings(**base)
        return
    run: str = request.getfixturevalue("pg_template")
    test_id = uuid.uuid4().hex[:10]
    for spec in REGISTRY:
        await _pg_execute(
            f'CREATE DATABASE "t{test_id}_{spec.name}" TEMPLATE "reservo_tpl_{run}_{spec.name}"'
        )
    yield Settings(**base, database_url=_asyncpg_url(PG_URL, f"t{test_id}_{{service}}"))
    for spec in REGISTRY:
        await _pg_execute(f'DROP DATABASE IF EXISTS "t{test_id}_{spec.name}" WITH (FORCE)')


OFFERING_EXAMPLES: dict[str, dict[str, Any]] = {
    "event": {
        "timezone": "Europe/Berlin",
        "sessions": [
            {"start": "2026-12-31T20:00:00+01:00", "end": "2026-12-31T23:00:00+01:00", "capacity": 20}
        ],
    },
    "service": {
        "timezone": "Europe/Berlin",
        "duration_minutes": 30,
        "capacity_per_slot": 1,
        "schedule": {
            "weekly": [{"weekday": "mon", "start": "09:00", "end": "17:00"}],
            "exceptions": [{"date": "2026-12-28", "closed": True}],
        },
    },
    "product": {"stock": 100},
}


@dataclass
class Api:
    """An HTTP client on an app, plus the runtime behind it and helpers that read like the user's steps."""

    client: httpx.AsyncClient
    runtime: Runtime
    tokens: dict[str, str] = field(default_factory=dict)

    def dev_token(self, email: str, *roles: str, **claims: Any) -> dict[str, str]:
        """Headers with a real access token for `email`, signed with the runtime's key, carrying the
        given roles ("owner@acme", "staff@acme", "admin"). No account is needed: like any token the
        user service mints, it is trusted for what it says until it expires."""
        return {"Authorization": f"Bearer {self.access_token(email, *roles, **claims)}"}

    def access_token(self, email: str, *roles: str, **claims: Any) -> str:
        tenants: dict[str, str] = {}
        for item in roles:
            if item != "admin":
                role, _, slug = item.partition("@")
                assert role in ("staff", "owner") and slug, f"not a tenant role: {item!r}"
                tenants[slug] = role
        return self.runtime.issuer().mint(
            user_id=uuid.uuid5(uuid.NAMESPACE_URL, f"test-user:{email.lower()}"),
            email=email.lower(),
            name=email.split("@")[0],
            tenants=tenants,
            admin="admin" in roles,
            **claims,
        )

    def owner(self, slug: str) -> dict[str, str]:
        return self.dev_token(f"owner@{slug}.example", f"owner@{slug}")

    async def register(
        self, email: str, password: str = "correct horse battery", name: str = "Ann Example"
    ) -> dict[str, Any]:
        """A real account through POST /auth/register: the TokenPair (access_token, refresh_token, user)."""
        body = {"email": email, "password": password, "name": name}
        response = await self.client.post("/api/v1/auth/register", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    @staticmethod
    def bearer(pair: dict[str, Any]) -> dict[str, str]:
        return {"Authorization": f"Bearer {pair['access_token']}"}

    async def settle(self) -> None:
        """Relay every outbox until no service has anything left to publish (events fully applied)."""
        for _ in range(10):
            moved = 0
            for relay in self.runtime.relays.values():
                moved += await relay.drain()
            if not moved:
                return

    async def tenant(self, slug: str = "acme", **overrides: Any) -> dict[str, Any]:
        body = {
            "name": slug.title(),
            "slug": slug,
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            **overrides,
        }
        response = await self.client.post("/api/v1/tenants", json=body, headers=self.owner(slug))
        assert response.status_code == 201, response.text
        await self.settle()
        return dict(response.json())

    async def offering(self, slug: str = "acme", **overrides: Any) -> dict[str, Any]:
        """Create an offering (default: an event with one session of 20 seats) and settle its events.

        `kind="service"` or `kind="product"` starts from that kind's example instead; `capacity=N`
        sets the event session's seats, the product's stock or the service's capacity per slot."""
        kind = overrides.get("kind", "event")
        body: dict[str, Any] = {
            "kind": kind,
            "name": {"event": "Jazz night", "service": "Haircut", "product": "Gift box"}[kind],
            "price": {"amount": 2500, "currency": "EUR"},
            **OFFERING_EXAMPLES[kind],
        }
        if "capacity" in overrides:
            capacity = overrides.pop("capacity")
            if kind == "event":
                body["sessions"] = [{**body["sessions"][0], "capacity": capacity}]
            else:
                body["stock" if kind == "product" else "capacity_per_slot"] = capacity
        body.update(overrides)
        response = await self.client.post(
            f"/api/v1/tenants/{slug}/offerings", json=body, headers=self.owner(slug)
        )
        assert response.status_code == 201, response.text
        await self.settle()
        return dict(response.json())

    async def book(
        self,
        offering_id: str,
        slug: str = "acme",
        quantity: int = 1,
        *,
        start: str | None = None,
        variant_id: str | None = None,
        customer: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        **headers: str,
    ) -> httpx.Response:
        """POST a booking; keyword arguments beyond the named ones are request headers."""
        body: dict[str, Any] = {
            "offering_id": offering_id,
            "quantity": quantity,
            "customer": customer or {"name": "Ann", "email": "ann@example.com"},
            **(extra or {}),
        }
        if start is not None:
            body["start"] = start
        if variant_id is not None:
            body["variant_id"] = variant_id
        return await self.client.post(f"/api/v1/tenants/{slug}/bookings", json=body, headers=headers)


AppFactory = Callable[..., Any]


@pytest.fixture
async def make_api(settings: Settings) -> AsyncIterator[Callable[..., Any]]:
    """make_api(services=None, workers=True, settings_update=None, service_settings=None, **runtime_kwargs)
    -> Api, torn down after the test. `settings_update` changes platform settings; `service_settings`
    maps a service to its own settings, an object or a dict of fields (the rest from the environment)."""
    stack: list[Runtime] = []

    async def factory(
        services: Sequence[str | ServiceSpec] = (),
        *,
        workers: bool = True,
        settings_update: dict[str, Any] | None = None,
        service_settings: dict[str, Any] | None = None,
        **runtime_kwargs: Any,
    ) -> Api:
        specs = [s if isinstance(s, ServiceSpec) else pick([s])[0] for s in services] or list(pick([]))
        chosen = Settings(**{**settings.model_dump(), **settings_update}) if settings_update else settings
        own = {
            name: value if not isinstance(value, dict) else _settings_class(specs, name)(**value)
            for name, value in (service_settings or {}).items()
        }
        runtime = Runtime(chosen, specs, service_settings=own, **runtime_kwargs)
        app = create_app(specs, chosen, runtime=runtime)
        await runtime.start(workers=workers)
        stack.append(runtime)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reservo.test")
        return Api(client, runtime)

    yield factory
    for runtime in reversed(stack):
        await runtime.stop()


def _settings_class(specs: Sequence[ServiceSpec], name: str) -> Any:
    (kind,) = [s.settings for s in specs if s.name == name]
    assert kind is not None, f"service {name} declares no settings class"
    return kind


@pytest.fixture
async def api(make_api: Callable[..., Any]) -> Api:
    result: Api = await make_api(["user", "catalog", "booking", "notification"])
    return result


async def eventually(check: Callable[[], Any], timeout: float = 10.0, interval: float = 0.05) -> Any:
    """Poll an async or sync check until it returns a truthy value (for effects of background workers)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)
