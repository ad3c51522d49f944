"""Engines per dialect. Every SQLite/PostgreSQL difference lives here, never in a service."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from reservo.platform.db.sqlite_driver import begin_with_first_statement, one_hop_connector


@dataclass(frozen=True, slots=True)
class Engines:
    """`writer` runs transactions that change state; `reader` serves plain reads.

    SQLite allows one writer at a time, so its writer is a single connection that begins with
    BEGIN IMMEDIATE: concurrent requests queue on the pool instead of failing with
    "database is locked", and the write lock is taken before the first read of a transaction,
    so a read-then-write can never be upgraded into a deadlock. PostgreSQL uses one pool for both.
    """

    writer: AsyncEngine
    reader: AsyncEngine

    @property
    def dialect(self) -> str:
        return self.writer.dialect.name

    async def dispose(self) -> None:
        await self.writer.dispose()
        if self.reader is not self.writer:
            await self.reader.dispose()


def _sqlite_pragmas(immediate: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins (pysqlite quirk).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        # No journal_mode here: WAL is a property of the file, set once by _ensure_wal before any
        # pooled connection exists. Setting it on every connect failed at times with "database is
        # locked" when a runtime's connections opened at once (jobs, relays, the first request); the
        # writer pool's one connection was then never made and all that queued on it waited for
        # pool_timeout (a 300 s hang seen in tests; the traceback ended in the journal_mode pragma).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return on_connect


def ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _ensure_wal(url: str) -> None:
    """Switch the database file to WAL once, from one plain connection, before the pools open."""
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as conn:
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            conn.execute("PRAGMA journal_mode=WAL")


def _make_sqlite(url: str) -> Engines:
    ensure_sqlite_dir(url)
    _ensure_wal(url)
    connect = one_hop_connector(url)  # one thread hand-off per statement (D15-34)
    writer = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=300, async_creator=connect)
    reader = create_async_engine(url, pool_size=4, max_overflow=4, pool_timeout=60, async_creator=connect)
    for engine, immediate in ((writer, True), (reader, False)):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas(immediate))
        begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        event.listen(engine.sync_engine, "begin", begin_with_first_statement(begin))
    return Engines(writer=writer, reader=reader)


def _closed_is_replaced(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled asyncpg connection whose socket the server closed (a restart, an idle timeout) knows
    it without a round trip; the pool then hands out a new one instead (up to three tries)."""
    if dbapi_connection.driver_connection.is_closed():
        raise exc.DisconnectionError("the server closed this pooled connection")


def make_engines(url: str, *, pool_size: int = 10) -> Engines:
    if make_url(url).get_backend_name() == "sqlite":
        return _make_sqlite(url)
    # No pool_pre_ping: on asyncpg it is BEGIN, a statement and ROLLBACK before every checkout (three
    # round trips per transaction). A connection the server closed is found without a round trip
    # (`_closed_is_replaced`); one that dies in a statement fails that statement, and SQLAlchemy
    # then invalidates it and every connection of its pool made before (D15-13).
    engine = create_async_engine(
        url, pool_size=pool_size, max_overflow=pool_size * 2, pool_timeout=60, pool_recycle=3600
    )
    if engine.dialect.driver == "asyncpg":
        event.listen(engine.sync_engine, "checkout", _closed_is_replaced)
    return Engines(writer=engine, reader=engine)
