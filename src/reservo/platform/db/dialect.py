"""Dialect-specific statements, so that services never branch on the database."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import FromClause
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """The session's database kind; from its engine when it has one (get_bind() costs more)."""
    bind = session.bind
    return (bind if bind is not None else session.get_bind()).dialect.name


def _insert_of(session: AsyncSession) -> Any:
    return pg_insert if dialect_name(session) == "postgresql" else sqlite_insert


_BUILT: dict[tuple[str, Hashable], Any] = {}


def upsert_statement(session: AsyncSession, key: Hashable, build: Callable[[Any], Any]) -> Any:
    """The statement `build(insert)` makes (`insert` is the dialect's INSERT supporting
    `.on_conflict_do_update/nothing`, given no values), built once per dialect and `key` and then
    reused: run it with the row as parameters, `session.execute(stmt, values)`. Building an upsert
    (its `excluded` alias, coercions, cache key) costs more than running it, once per event."""
    name = dialect_name(session)
    statement = _BUILT.get((name, key))
    if statement is None:
        statement = _BUILT[(name, key)] = build(_insert_of(session))
    return statement


def insert_new(table: Any, *keys: str) -> Callable[[Any], Any]:
    """For `upsert_statement`: INSERT that does nothing when a row with the same `keys` (default
    the `id`) is there."""
    return lambda insert: insert(table).on_conflict_do_nothing(
        index_elements=[table.c[k] for k in keys or ("id",)]
    )


def upsert_insert(session: AsyncSession, table: FromClause, values: dict[str, Any]) -> Any:
    """An INSERT supporting `.on_conflict_do_update/nothing` on both SQLite and PostgreSQL."""
    return _insert_of(session)(table).values(**values)


def upsert_rows(session: AsyncSession, table: FromClause) -> Any:
    """`upsert_insert` without values, for `session.execute(stmt, rows)`: the driver's executemany
    runs the one-row statement for each row in order (ON CONFLICT semantics row by row), in one
    round trip on asyncpg."""
    return _insert_of(session)(table)
