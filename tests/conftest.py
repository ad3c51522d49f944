"""Fixtures: every test gets fresh databases (SQLite files or PostgreSQL databases copied from a
migrated template, only those of the services it starts), an app built from the specs it needs, and
an HTTP client on it (`api`, configured by the small fixtures `app_services`, `app_tenant`,
`app_settings`, `app_env` and `clock`, which a test module or directory overrides).

The helpers themselves live in tests/support/; this module re-exports the names tests import from it.

PostgreSQL comes from RESERVO_TEST_POSTGRES_URL (scripts/services.sh starts one). Without it the
postgres tests skip, except under CI=true, where a missing engine fails them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from reservo.app import create_app
from reservo.platform.clock import Clock
from reservo.platform.config import Settings
from reservo.platform.db.migrate import upgrade
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceSpec
from reservo.services import NAMES, REGISTRY, pick
from tests.support.api import Api
from tests.support.offerings import OFFERING_EXAMPLES
from tests.support.polling import eventually

__all__ = ["IN_CI", "OFFERING_EXAMPLES", "PG_URL", "Api", "eventually"]

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
def pg_template() -> Iterator[str]:
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
    yield run

    async def drop() -> None:
        for spec in REGISTRY:
            await _pg_execute(f'DROP DATABASE IF EXISTS "reservo_tpl_{run}_{spec.name}" WITH (FORCE)')

    _blocking(drop())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Databases:
    """This test's databases, each copied from the migrated template the first time a service needs it
    (make_api asks for the services it starts); all of them are dropped after the test."""

    def __init__(self, backend: str, request: pytest.FixtureRequest, folder: Path) -> None:
        self._backend, self._request, self._folder = backend, request, folder
        self._made: list[str] = []
        self.test_id = uuid.uuid4().hex[:10]

    async def ensure(self, names: Sequence[str]) -> None:
        for name in names:
            if name in self._made or name not in NAMES:
                continue  # a test's own spec (not in the registry) migrates its database itself
            if self._backend == "sqlite":
                template: Path = self._request.getfixturevalue("sqlite_template")
                shutil.copy(template / f"{name}.db", self._folder / f"{name}.db")
            else:
                run: str = self._request.getfixturevalue("pg_template")
                await _pg_execute(
                    f'CREATE DATABASE "t{self.test_id}_{name}" TEMPLATE "reservo_tpl_{run}_{name}"'
                )
            self._made.append(name)

    async def drop(self) -> None:
        if self._backend != "sqlite":
            for name in self._made:
                await _pg_execute(f'DROP DATABASE IF EXISTS "t{self.test_id}_{name}" WITH (FORCE)')


@pytest.fixture
async def databases(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Databases]:
    made = Databases(backend, request, tmp_path)
    if backend == "postgres":
        request.getfixturevalue("pg_template")  # skips (or fails under CI) without PostgreSQL
    yield made
    await made.drop()


@pytest.fixture
async def settings(
    backend: str, databases: Databases, request: pytest.FixtureRequest, tmp_path: Path
) -> Settings:
    """Settings pointing at this test's databases. A test whose only user of the settings is make_api
    (through `api`, say) gets just the databases of the services it starts, copied as it starts
    them; any other test gets every service's."""
    base: dict[str, Any] = {
        "data_dir": tmp_path,
        "environment": "test",
        "log_json": True,
        "log_level": "WARNING",
        "consumer_backoff_seconds": 0.01,
        "relay_poll_seconds": 0.2,
    }
    if backend == "postgres":
        base["database_url"] = _asyncpg_url(PG_URL, f"t{databases.test_id}_{{service}}")
    if _settings_used_beyond_make_api(request):
        await databases.ensure(NAMES)
    return Settings(**base)


def _settings_used_beyond_make_api(request: pytest.FixtureRequest) -> bool:
    """Whether the test, or a fixture other than make_api, takes `settings` (to run a CLI command,
    seed, or start processes on it): then it gets every database, as before."""
    info = request.node._fixtureinfo
    users = {name for name, defs in info.name2fixturedefs.items() if "settings" in defs[-1].argnames}
    if "settings" in info.argnames:
        users.add(request.node.name)
    return not users <= {"make_api"}


AppFactory = Callable[..., Any]


@pytest.fixture
async def make_api(settings: Settings, databases: Databases) -> AsyncIterator[Callable[..., Any]]:
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
        await databases.ensure([spec.name for spec in specs])
        unknown = set(settings_update or {}) - set(Settings.model_fields)
        assert not unknown, f"not platform settings (a service's own go in service_settings): {unknown}"
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


DEFAULT_SERVICES = ("user", "catalog", "booking", "notification")


@pytest.fixture
def app_services() -> Sequence[str]:
    """The services `api` runs; a module or directory overrides this fixture to pick others."""
    return DEFAULT_SERVICES


@pytest.fixture
def app_tenant() -> dict[str, Any] | None:
    """A tenant `api` opens before the test (Api.tenant keywords, e.g. {"slug": "acme"}), or None."""
    return None


@pytest.fixture
def app_settings() -> dict[str, Any]:
    """Settings fields `api` changes for the test (on top of `settings`)."""
    return {}


@pytest.fixture
def app_service_settings() -> dict[str, Any]:
    """Services' own settings `api` changes for the test: {"user": {"google_client_id": ...}}."""
    return {}


@pytest.fixture
def app_env() -> dict[str, str]:
    """Environment variables set while `api` starts (a service's own settings: RESERVO_<SERVICE>_...)."""
    return {}


@pytest.fixture
def clock() -> Clock | None:
    """The clock `api` runs on: the real one, unless a directory overrides it with a ManualClock."""
    return None


@pytest.fixture
async def api(
    make_api: Callable[..., Any],
    app_services: Sequence[str],
    app_tenant: dict[str, Any] | None,
    app_settings: dict[str, Any],
    app_service_settings: dict[str, Any],
    app_env: dict[str, str],
    clock: Clock | None,
    monkeypatch: pytest.MonkeyPatch,
) -> Api:
    for name, value in app_env.items():
        monkeypatch.setenv(name, value)
    result: Api = await make_api(
        app_services,
        clock=clock,
        settings_update=app_settings or None,
        service_settings=app_service_settings or None,
    )
    if app_tenant is not None:
        await result.tenant(**app_tenant)
    return result
