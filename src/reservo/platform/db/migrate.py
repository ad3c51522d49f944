"""Alembic: one platform history (outbox, inbox, dead letters, tenant replica; version table
`alembic_version_platform`) that every service database gets first, then the service's own history
(`alembic_version`) holding only its own tables. Shared env in platform/db/alembic (D10-2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from reservo.platform.db.base import platform_metadata
from reservo.platform.db.engine import ensure_sqlite_dir
from reservo.platform.service import ServiceSpec

SCRIPT_LOCATION = Path(__file__).parent / "alembic"
PLATFORM_VERSIONS = Path(__file__).parent / "migrations" / "versions"
PLATFORM_VERSION_TABLE = "alembic_version_platform"
SERVICE_VERSION_TABLE = "alembic_version"


def platform_tables(metadata: MetaData) -> frozenset[str]:
    """The tables of `metadata` the platform history makes (see db/base.py service_metadata)."""
    names: frozenset[str] = metadata.info.get("platform_tables", frozenset())
    return names


def platform_branches(metadata: MetaData) -> tuple[str, ...]:
    """Branches of the platform history a service database gets: events always, the replica of
    tenants when the service is tenant-scoped."""
    return ("events", "tenant_replica") if "tenants" in platform_tables(metadata) else ("events",)


def _unmanaged(metadata: MetaData) -> frozenset[str]:
    names: frozenset[str] = metadata.info.get("unmanaged", frozenset())
    return names


def autogenerate_filters(metadata: MetaData, *, skip_tables: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Alembic hooks hiding what a service's migration creates by hand per dialect, and `skip_tables`
    (the platform's tables and version table, which a service's own history never touches).

    `metadata.info["unmanaged"]` lists names: a table (its FTS shadow tables `<name>_*` too), an
    index, or a column as `table.column`.
    """
    unmanaged = _unmanaged(metadata) | skip_tables
    tables = {n for n in unmanaged if "." not in n}

    def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
        if type_ == "table" and name is not None:
            return not any(name == t or name.startswith(f"{t}_") for t in tables)
        if type_ == "column":
            return f"{parent_names.get('table_name')}.{name}" not in unmanaged
        return name not in unmanaged

    def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "column":
            return f"{obj.table.name}.{name}" not in unmanaged
        return include_name(name, type_, {})

    return {"include_name": include_name, "include_object": include_object}


def history_config(versions: str, metadata: MetaData, version_table: str, skip: frozenset[str]) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option("version_locations", versions)
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["metadata"] = metadata
    cfg.attributes["version_table"] = version_table
    cfg.attributes["skip_tables"] = skip
    return cfg


def alembic_config(spec: ServiceSpec) -> Config:
    """The service's own history: its tables only (autogenerate skips the platform's)."""
    if spec.migrations is None:
        raise ValueError(f"service {spec.name} has no migrations")
    skip = platform_tables(spec.metadata) | {PLATFORM_VERSION_TABLE}
    cfg = history_config(str(spec.migrations), spec.metadata, SERVICE_VERSION_TABLE, skip)
    cfg.attributes["service"] = spec.name
    return cfg


def platform_config(spec: ServiceSpec) -> Config:
    """The platform history as this service's database gets it (its own version table)."""
    metadata = platform_metadata(tenant_scoped="tenants" in platform_tables(spec.metadata))
    skip = frozenset(spec.metadata.tables) - platform_tables(spec.metadata) | {SERVICE_VERSION_TABLE}
    return history_config(str(PLATFORM_VERSIONS), metadata, PLATFORM_VERSION_TABLE, skip)


async def _with_connection(url: str, fn: Any) -> None:
    ensure_sqlite_dir(url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(fn)
    finally:
        await engine.dispose()


def _upgrade_platform(spec: ServiceSpec, connection: Connection) -> None:
    cfg = platform_config(spec)
    cfg.attributes["connection"] = connection
    for branch in platform_branches(spec.metadata):
        command.upgrade(cfg, f"{branch}@head")


async def upgrade(spec: ServiceSpec, url: str, revision: str = "head") -> None:
    """The platform history to its head first, then the service's own history to `revision`."""
    cfg = alembic_config(spec)

    def run(connection: Connection) -> None:
        _upgrade_platform(spec, connection)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    await _with_connection(url, run)


async def autogenerate(spec: ServiceSpec, url: str, message: str) -> None:
    cfg = alembic_config(spec)

    def run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.revision(cfg, message=message, autogenerate=True, version_path=str(spec.migrations))

    await _with_connection(url, run)


async def pending_changes(spec: ServiceSpec, url: str) -> list[Any]:
    """What autogenerate would still emit after `upgrade`: empty when models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    diffs: list[Any] = []

    def run(connection: Connection) -> None:
        # Everything the service's database should hold, the platform's tables too.
        skip = frozenset({PLATFORM_VERSION_TABLE})
        opts = {"compare_type": True, **autogenerate_filters(spec.metadata, skip_tables=skip)}
        ctx = MigrationContext.configure(connection, opts=opts)
        diffs.extend(compare_metadata(ctx, spec.metadata))

    await _with_connection(url, run)
    return diffs


async def versions(spec: ServiceSpec, url: str) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per history ("platform", "service"): the revisions the database is at, and its heads."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def run(connection: Connection) -> None:
        pcfg = platform_config(spec)
        script = ScriptDirectory.from_config(pcfg)
        wanted = frozenset(
            h for b in platform_branches(spec.metadata) for h in script.get_revisions(f"{b}@head")
        )
        ctx = MigrationContext.configure(connection, opts={"version_table": PLATFORM_VERSION_TABLE})
        found["platform"] = (frozenset(ctx.get_current_heads()), frozenset(r.revision for r in wanted))
        scfg = alembic_config(spec)
        heads = frozenset(ScriptDirectory.from_config(scfg).get_heads())
        ctx = MigrationContext.configure(connection, opts={"version_table": SERVICE_VERSION_TABLE})
        found["service"] = (frozenset(ctx.get_current_heads()), heads)

    await _with_connection(url, run)
    return found
