"""The embedded default's SQLite engines (one thread hand-off per statement, BEGIN sent with the first
statement, D15-34/D15-36) keep what the kernel relies on: the writer takes SQLite's write lock before
its first read, a lock wait never blocks the event loop, a failed transaction leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import uuid
from collections.abc import AsyncIterator, Coroutine
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import JSON, Boolean, Column, MetaData, String, Table, Uuid, bindparam, insert, select, text
from sqlalchemy.util import greenlet_spawn

from reservo.platform.db.engine import Engines, make_engines
from reservo.platform.db.sqlite_driver import OneHopConnection, Prepared
from reservo.platform.db.types import UTCDateTime

T = TypeVar("T")


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[Engines]:
    engines = make_engines(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    async with engines.writer.begin() as conn:
        await conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, taken INT, capacity INT)"))
        await conn.execute(text("INSERT INTO counter VALUES (1, 0, 2), (2, 0, 2)"))
    yield engines
    await engines.dispose()


def _other_process_connection(engines: Engines) -> sqlite3.Connection:
    """A plain connection to the same file, as another process (a CLI command, a second serve) has."""
    database = engines.writer.url.database
    assert database is not None
    return sqlite3.connect(database, timeout=0, isolation_level=None, check_same_thread=False)


async def _waits_in_its_thread(engines: Engines, write: Coroutine[Any, Any, T]) -> T:
    """Runs `write` while another process holds the write lock: it waits for the lock in its thread
    while the event loop goes on, and completes once the lock is free."""
    other = _other_process_connection(engines)
    other.execute("BEGIN IMMEDIATE")  # someone else writes
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticking = asyncio.create_task(ticker())
    waiting = asyncio.create_task(write)
    await asyncio.sleep(0.5)
    assert not waiting.done()  # it waits for the lock ...
    assert ticks >= 20  # ... in its thread: the loop went on
    other.execute("COMMIT")
    done = await asyncio.wait_for(waiting, 10)
    ticking.cancel()
    other.close()
    return done


async def test_a_writer_waiting_for_the_lock_leaves_the_event_loop_running(engines: Engines) -> None:
    async def claim() -> None:
        async with engines.writer.begin() as conn:
            await conn.execute(text("UPDATE counter SET taken = taken + 1 WHERE id = 1"))

    await _waits_in_its_thread(engines, claim())
    async with engines.reader.connect() as conn:
        assert (await conn.execute(text("SELECT taken FROM counter WHERE id = 1"))).scalar() == 1


async def test_the_writer_holds_the_write_lock_from_its_first_read(engines: Engines) -> None:
    other = _other_process_connection(engines)
    async with engines.writer.begin() as conn:
        assert (await conn.execute(text("SELECT taken FROM counter WHERE id = 1"))).scalar() == 0
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")  # a read-then-write can never be overtaken
    other.execute("BEGIN IMMEDIATE")  # free again once the transaction ended
    other.execute("ROLLBACK")
    other.close()


async def test_a_failed_transaction_leaves_nothing_and_the_next_one_starts_clean(engines: Engines) -> None:
    with contextlib.suppress(RuntimeError):
        async with engines.writer.begin() as conn:
            await conn.execute(text("UPDATE counter SET taken = taken + 1 WHERE id = 1"))
            await conn.execute(text("INSERT INTO counter VALUES (3, 0, 1)"))
            raise RuntimeError
    with pytest.raises(Exception, match="UNIQUE"):
        async with engines.writer.begin() as conn:
            await conn.execute(text("UPDATE counter SET taken = taken + 1 WHERE id = 2"))
            await conn.execute(text("INSERT INTO counter VALUES (1, 0, 1)"))  # fails mid-transaction
    async with engines.writer.begin() as conn:
        rows = (await conn.execute(text("SELECT id, taken FROM counter ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, 0), (2, 0)]


async def test_a_conditional_claim_returns_its_rows_and_counts(engines: Engines) -> None:
    claim = text(
        "UPDATE counter SET taken = taken + :n WHERE id = :id AND taken + :n <= capacity RETURNING id"
    )
    async with engines.writer.begin() as conn:
        assert (await conn.execute(claim, {"n": 2, "id": 1})).scalar() == 1
        assert (await conn.execute(claim, {"n": 1, "id": 1})).scalar() is None  # full
        result = await conn.execute(text("UPDATE counter SET capacity = 5"))
        assert result.rowcount == 2  # type: ignore[attr-defined]
        await conn.execute(text("INSERT INTO counter VALUES (:id, 0, 1)"), [{"id": 3}, {"id": 4}])
        assert (await conn.execute(text("SELECT count(*) FROM counter"))).scalar() == 4


def _claim(conn: sqlite3.Connection, counter: int, then_fail: bool = False) -> int | None:
    """A function for `run_transaction`: runs in the connection's thread."""
    row = conn.execute(
        "UPDATE counter SET taken = taken + 1 WHERE id = ? AND taken + 1 <= capacity RETURNING id", (counter,)
    ).fetchone()
    if then_fail:
        raise RuntimeError("after the claim")
    return None if row is None else int(row[0])


async def _writer(engines: Engines) -> AsyncIterator[OneHopConnection]:
    pooled = await engines.writer.raw_connection()
    try:
        connection = pooled.driver_connection
        assert isinstance(connection, OneHopConnection)
        yield connection
    finally:
        await greenlet_spawn(pooled.close)


async def test_a_function_runs_as_one_write_transaction_in_one_hand_off(engines: Engines) -> None:
    """D15-60: `run_transaction` is BEGIN IMMEDIATE, the function and COMMIT in the thread; a function
    that raises leaves nothing behind, and the connection goes back to its pool clean."""
    async for connection in _writer(engines):
        assert await connection.run_transaction("BEGIN IMMEDIATE", _claim, 1) == 1
        with pytest.raises(RuntimeError, match="after the claim"):
            await connection.run_transaction("BEGIN IMMEDIATE", _claim, 2, then_fail=True)
        assert not connection._conn.in_transaction
    async with engines.reader.connect() as conn:
        rows = (await conn.execute(text("SELECT id, taken FROM counter ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, 1), (2, 0)]


async def test_a_function_waiting_for_the_lock_leaves_the_event_loop_running(engines: Engines) -> None:
    async def claim() -> int | None:
        async for connection in _writer(engines):
            return await connection.run_transaction("BEGIN IMMEDIATE", _claim, 1)
        return None

    assert await _waits_in_its_thread(engines, claim()) == 1


async def test_prepared_statements_send_what_sqlalchemy_sends(engines: Engines) -> None:
    """`Prepared` binds through the columns' own types: the stored values are SQLAlchemy's."""
    metadata = MetaData()
    table = Table(
        "typed",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("at", UTCDateTime),
        Column("doc", JSON),
        Column("flag", Boolean),
        Column("status", String(16)),
    )
    async with engines.writer.begin() as conn:
        await conn.run_sync(metadata.create_all)
    at = datetime(2026, 6, 1, 9, 30, 15, 123, tzinfo=timezone(timedelta(hours=2)))
    values = {"at": at, "doc": {"a": [1, "ü"]}, "flag": True, "status": "x"}
    by_orm, by_prepared = uuid.uuid4(), uuid.uuid4()
    async with engines.writer.begin() as conn:
        await conn.execute(insert(table), {"id": by_orm, **values})
    prepared = Prepared(insert(table), column_keys=["id", "at", "doc", "flag", "status"])
    args = prepared.args({"id": by_prepared, **values})
    async for connection in _writer(engines):
        await connection.run_transaction("BEGIN IMMEDIATE", lambda c: c.execute(prepared.sql, args))
    read = Prepared(select(table.c.at, table.c.doc, table.c.flag).where(table.c.id == bindparam("id")))
    async for connection in _writer(engines):
        raw = await connection.run(
            lambda c: c.execute("SELECT * FROM typed ORDER BY id = ?", (by_orm.hex,)).fetchall()
        )
        one = await connection.run(lambda c: c.execute(read.sql, read.args({"id": by_prepared})).fetchone())
    assert raw[0][1:] == raw[1][1:], raw
    assert read.row(one) == (at.astimezone(UTC), {"a": [1, "ü"]}, True)
