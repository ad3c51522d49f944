"""Alembic, one history per service: shared env in platform/db/alembic, versions in each service package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import create_async_engine

from reservo.platform.db.engine import ensure_sqlite_dir
from reservo.platform.service import ServiceSpec

SCRIPT_LOCATION = Path(__file__).parent / "alembic"


def _unmanaged(metadata: MetaData) -> frozenset[str]:
    names: frozenset[str] = metadata.info.get("unmanaged", frozenset())
    return names


def autogenerate_filters(metadata: MetaData) -> dict[str, Any]:
    """Alembic hooks hiding what a service's migration creates by hand per dialect.

    `metadata.info["unmanaged"]` lists names: a table (its FTS shadow tables `<name>_*` too), an
    index, or a column as `table.column`.
    """
    unmanaged = _unmanaged(metadata)
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


def alembic_config(spec: ServiceSpec) -> Config:
    if spec.migrations is None:
        raise ValueError(f"service {spec.name} has no migrations")
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option("version_locations", str(spec.migrations))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["metadata"] = spec.metadata
    cfg.attributes["service"] = spec.name
    return cfg


async def _with_connection(url: str, fn: Any) -> None:
    ensure_sqlite_dir(url)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(fn)
    finally:
        await engine.dispose()


async def upgrade(spec: ServiceSpec, url: str, revision: str = "head") -> None:
    cfg = alembic_config(spec)

    def run(connection: Connection) -> None:
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
        opts = {"compare_type": True, **autogenerate_filters(spec.metadata)}
        ctx = MigrationContext.configure(connection, opts=opts)
        diffs.extend(compare_metadata(ctx, spec.metadata))

    await _with_connection(url, run)
    return diffs
