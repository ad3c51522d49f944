"""The platform migration history (D10-2): every service database gets the outbox, inbox, dead letters
and (tenant-scoped services) the tenant replica from it; a database made by the earlier layout, where
each service's initial revision made those tables, upgrades forward and keeps its rows."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from reservo.platform.db.base import service_metadata
from reservo.platform.db.migrate import (
    SERVICE_VERSION_TABLE,
    autogenerate,
    history_config,
    pending_changes,
    upgrade,
    versions,
)
from reservo.platform.service import ServiceSpec
from reservo.services import pick
from tests.conftest import PG_URL, _asyncpg_url, _pg_execute

# Verbatim copies of the initial revisions as main had them (platform tables inside).
MAIN_INITIAL = Path(__file__).parent / "main_initial_revisions"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of the chosen backend."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'legacy.db'}"
        return
    name = f"legacy_{uuid.uuid4().hex[:12]}"
    await _pg_execute(f'CREATE DATABASE "{name}"')
    yield _asyncpg_url(PG_URL, name)
    await _pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _run(url: str, fn: Any) -> Any:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            return await conn.run_sync(fn)
    finally:
        await engine.dispose()


async def migrate_like_main(spec: ServiceSpec, url: str, tmp_path: Path) -> None:
    """Build the database as main did: the service's history alone, its initial revision making the
    platform tables, versions in `alembic_version`."""
    assert spec.migrations is not None
    folder = tmp_path / f"{spec.name}-main-versions"
    folder.mkdir()
    for item in spec.migrations.iterdir():
        if item.name.endswith(".py") and item.name != "__init__.py":
            body = item.read_text()
            if "Revises:\n" in body:  # the initial revision: main's body
                body = (MAIN_INITIAL / f"{spec.name}.py.txt").read_text()
            (folder / item.name).write_text(body)
    cfg = history_config(str(folder), spec.metadata, SERVICE_VERSION_TABLE, frozenset())

    def run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")

    await _run(url, run)


def rows_of_every_kind(service: str) -> dict[str, list[dict[str, Any]]]:
    tenant = uuid.uuid4()
    rows: dict[str, list[dict[str, Any]]] = {
        "outbox": [
            {
                "event_id": uuid.uuid4(),
                "topic": f"{service}.events",
                "type": "thing.happened",
                "key": str(tenant),
                "envelope": {"id": "1", "data": {"n": 1}},
                "created_at": NOW,
                "sent_at": None,
            }
        ],
        "inbox": [{"consumer": service, "event_id": uuid.uuid4(), "type": "x.y", "processed_at": NOW}],
        "dead_letters": [
            {
                "id": uuid.uuid4(),
                "consumer": service,
                "event_id": uuid.uuid4(),
                "type": "x.y",
                "envelope": {"id": "2"},
                "error": "boom",
                "attempts": 5,
                "created_at": NOW,
                "updated_at": NOW,
                "replayed_at": None,
            }
        ],
    }
    base = {"slug": "acme", "name": "Acme", "timezone": "Europe/Berlin", "currency": "EUR"}
    if service == "booking":
        rows["tenants"] = [{"id": tenant, **base, "updated_at": NOW}]  # the replica
        rows["capacity_counters"] = [
            {"id": uuid.uuid4(), "tenant_id": tenant, "offering_id": uuid.uuid4(), "key": "stock"}
            | {"capacity": 10, "taken": 3}
        ]
    else:  # user: the tenants table is the user service's own
        rows["tenants"] = [{"id": tenant, **base, "created_at": NOW, "updated_at": NOW, "version": 1}]
        rows["memberships"] = [
            {"id": uuid.uuid4(), "tenant_id": tenant, "user_id": uuid.uuid4(), "email": "o@acme.example"}
            | {"role": "owner", "created_at": NOW, "updated_at": NOW}
        ]
    return rows


def _key(table: sa.Table) -> list[sa.Column[Any]]:
    return list(table.primary_key.columns)


@pytest.mark.parametrize("service", ["booking", "user"])
async def test_a_database_made_by_main_upgrades_and_keeps_its_rows(
    service: str, database_url: str, tmp_path: Path
) -> None:
    spec = pick([service])[0]
    await migrate_like_main(spec, database_url, tmp_path)
    rows = rows_of_every_kind(service)

    def insert(connection: Connection) -> None:
        for name, values in rows.items():
            connection.execute(sa.insert(spec.metadata.tables[name]), values)

    await _run(database_url, insert)

    await upgrade(spec, database_url)  # the new code: platform history first, then the service's

    def read(connection: Connection) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for name, values in rows.items():
            table = spec.metadata.tables[name]
            result = connection.execute(sa.select(*[table.c[k] for k in values[0]]).order_by(*_key(table)))
            found[name] = [dict(r._mapping) for r in result]
        return found

    assert await _run(database_url, read) == rows
    for history, (current, heads) in (await versions(spec, database_url)).items():
        assert current == heads and heads, history
    assert await pending_changes(spec, database_url) == []  # the schema is exactly the models'
    await upgrade(spec, database_url)  # and upgrading again changes nothing
    assert await _run(database_url, read) == rows


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_new_database_gets_the_platform_tables_from_the_platform_history(database_url: str) -> None:
    spec = pick(["admin"])[0]
    platform = set(spec.metadata.info["platform_tables"])
    own = set(spec.metadata.tables) - platform
    assert platform == {"outbox", "inbox", "dead_letters", "tenants"}
    await upgrade(spec, database_url)

    def tables(connection: Connection) -> set[str]:
        return set(sa.inspect(connection).get_table_names())

    assert await _run(database_url, tables) == platform | own | {
        "alembic_version",
        "alembic_version_platform",
    }
    history = files("reservo.services.admin") / "migrations" / "versions"
    revisions = " ".join(f.read_text() for f in history.iterdir() if f.name.endswith(".py"))
    assert not any(f'create_table(\n        "{name}"' in revisions for name in platform)
    assert await pending_changes(spec, database_url) == []


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_makemigrations_writes_only_the_services_own_tables(database_url: str, tmp_path: Path) -> None:
    """A new tenant-scoped service with one table: its first revision holds that table, not the
    outbox, inbox, dead letters or tenant replica (nor the platform's version table)."""
    metadata = service_metadata("widgets")
    sa.Table(
        "widgets", metadata, sa.Column("id", sa.Uuid, primary_key=True), sa.Column("name", sa.String(50))
    )
    folder = tmp_path / "versions"
    folder.mkdir()
    spec = ServiceSpec(name="widgets", port=0, metadata=metadata, migrations=folder)

    await upgrade(spec, database_url)
    await autogenerate(spec, database_url, "widgets")

    (revision,) = folder.glob("*_widgets.py")
    body = revision.read_text().replace('"', "'")
    assert "op.create_table('widgets'" in body
    for platform_table in ("outbox", "inbox", "dead_letters", "tenants", "alembic_version_platform"):
        assert f"'{platform_table}'" not in body
    await upgrade(spec, database_url)
    assert await pending_changes(spec, database_url) == []
    shutil.rmtree(folder)
