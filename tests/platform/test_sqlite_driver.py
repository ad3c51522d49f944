"""The embedded default's SQLite engines (one thread hand-off per statement, BEGIN sent with the first
statement, D15-34/D15-36) keep what the kernel relies on: the writer takes SQLite's write lock before
its first read, a lock wait never blocks the event loop, a failed transaction leaves nothing behind."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from reservo.platform.db.engine import Engines, make_engines


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


async def test_a_writer_waiting_for_the_lock_leaves_the_event_loop_running(engines: Engines) -> None:
    other = _other_process_connection(engines)
    other.execute("BEGIN IMMEDIATE")  # someone else writes
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    async def claim() -> None:
        async with engines.writer.begin() as conn:
            await conn.execute(text("UPDATE counter SET taken = taken + 1 WHERE id = 1"))

    ticking = asyncio.create_task(ticker())
    waiting = asyncio.create_task(claim())
    await asyncio.sleep(0.5)
    assert not waiting.done()  # it waits for the lock ...
    assert ticks >= 20  # ... in its thread: the loop went on
    other.execute("COMMIT")
    await asyncio.wait_for(waiting, 10)
    ticking.cancel()
    other.close()
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
