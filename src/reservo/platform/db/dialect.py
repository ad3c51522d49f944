"""Dialect-specific statements, so that services never branch on the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import FromClause
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def upsert_insert(session: AsyncSession, table: FromClause, values: dict[str, Any]) -> Any:
    """An INSERT supporting `.on_conflict_do_update/nothing` on both SQLite and PostgreSQL."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table).values(**values)  # type: ignore[arg-type]  # any mapped table or Table


def upsert_rows(session: AsyncSession, table: FromClause) -> Any:
    """`upsert_insert` without values, for `session.execute(stmt, rows)`: the driver's executemany
    runs the one-row statement for each row in order (ON CONFLICT semantics row by row), in one
    round trip on asyncpg."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    return insert(table)  # type: ignore[arg-type]
