"""Unit of work: a service method owns one transaction; events it publishes commit with it."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from functools import cached_property
from typing import Any, Concatenate, ParamSpec, TypeVar
from uuid import UUID

import asyncpg
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.util import greenlet_spawn

from reservo.platform.clock import Clock
from reservo.platform.db.engine import Engines
from reservo.platform.db.sqlite_driver import OneHopConnection, Prepared
from reservo.platform.events.envelope import Envelope, Event, RawEnvelope
from reservo.platform.events.tables import EventTables

T = TypeVar("T")
P = ParamSpec("P")


class Transaction:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self._clock = clock
        self.published: list[RawEnvelope] = []
        self._after_commit: list[Callable[[], None]] = []
        self._cache: dict[Hashable, Any] = {}
        self._later: dict[Hashable, tuple[Any, list[dict[str, Any]]]] = {}

    async def cached(self, key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
        """`read()` once per transaction for `key`: the handlers of one consumer batch (one
        transaction) share what they read, e.g. the tenant every email of the batch names. A handler
        that writes what others cache calls `forget()` (D15-7)."""
        if key not in self._cache:
            self._cache[key] = await read()
        value: T = self._cache[key]
        return value

    def forget(self) -> None:
        self._cache.clear()

    def execute_later(self, key: Hashable, statement: Callable[[], Any], row: dict[str, Any]) -> None:
        """Queue `row` for the statement `statement()` builds (the first time `key` is queued); all
        rows of a key run at the end of the transaction, in order, as one executemany. Only for
        writes nothing in the transaction reads back (an email to send, a reminder to keep): the
        handlers of a consumer batch then write them in one statement instead of one each (D15-9)."""
        if key not in self._later:
            self._later[key] = (statement(), [])
        self._later[key][1].append(row)

    async def run_later(self) -> None:
        """Run what `execute_later` queued now (before a statement that changes those rows)."""
        for statement, rows in self._later.values():
            await self.session.execute(statement, rows)
        self._later.clear()

    def publish(self, event: Event, *, tenant_id: UUID | None) -> RawEnvelope:
        """Queue an event in the outbox; it is written in this transaction and relayed after commit."""
        envelope = Envelope.wrap(event, tenant_id=tenant_id, now=self._clock.now())
        self.published.append(envelope)
        return envelope

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)


class UnitOfWork:
    def __init__(
        self,
        service: str,
        engines: Engines,
        tables: EventTables,
        clock: Clock,
        on_publish: Callable[[], None] = lambda: None,
    ) -> None:
        self.service = service
        self.engines = engines
        self.tables = tables
        self._clock = clock
        self._writer = async_sessionmaker(engines.writer, expire_on_commit=False)
        self._reader = async_sessionmaker(engines.reader, expire_on_commit=False)
        self.on_publish = on_publish

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._writer() as session, session.begin():
            tx = Transaction(session, self._clock)
            yield tx
            await tx.run_later()
            if tx.published:
                await session.execute(insert(self.tables.outbox), [self.outbox_row(e) for e in tx.published])
        if tx.published:
            self.on_publish()
        for callback in tx._after_commit:
            callback()

    @asynccontextmanager
    async def driver(self) -> AsyncIterator[asyncpg.Connection]:
        """PostgreSQL (asyncpg) only: the writer pool's driver connection itself, in autocommit (each
        statement its own transaction), for a hot path whose one statement is prepared once per
        connection by asyncpg instead of being compiled by SQLAlchemy per call (D15-14). The pool,
        its size and its checkout check stay SQLAlchemy's; no BEGIN/ROLLBACK is sent at checkin
        because no transaction was begun. A connection that broke (closed, cancelled mid-statement)
        is discarded, never handed out again; an error PostgreSQL answered leaves it usable."""
        pooled = await self.engines.writer.raw_connection()
        connection: asyncpg.Connection = pooled.driver_connection
        try:
            yield connection
        except BaseException as exc:
            broken = isinstance(exc, (asyncio.CancelledError, asyncpg.InterfaceError, OSError))
            if broken or connection.is_closed():
                await greenlet_spawn(pooled.invalidate, exc)
            raise
        finally:
            await greenlet_spawn(pooled.close)

    async def sqlite_write(
        self, fn: Callable[Concatenate[sqlite3.Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """SQLite only: `fn(connection, *args)` on the sqlite3 connection of the writer pool's one
        connection, as one write transaction (BEGIN IMMEDIATE, `fn`, COMMIT; ROLLBACK if it raises) in
        ONE hand-off to the connection's thread (D15-60). For a hot path whose statements are
        `Prepared` once: no session, no SQLAlchemy compile or execution per call. The pool stays the
        writer's queue (a session's transaction and this never overlap); `fn` runs in another thread,
        so it touches nothing but the connection and its arguments. Outbox rows it writes
        (`outbox_insert`) are the caller's to announce (`on_publish`) after this returns."""
        async with self._sqlite(self.engines.writer) as connection:
            return await connection.run_transaction("BEGIN IMMEDIATE", fn, *args, **kwargs)

    async def sqlite_read(
        self, fn: Callable[Concatenate[sqlite3.Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """SQLite only: `fn(connection, *args)` on a reader connection in one hand-off, outside a
        transaction (each statement reads the newest commit; WAL readers never wait for the writer)."""
        async with self._sqlite(self.engines.reader) as connection:
            return await connection.run(fn, *args, **kwargs)

    @asynccontextmanager
    async def _sqlite(self, engine: AsyncEngine) -> AsyncIterator[OneHopConnection]:
        pooled = await engine.raw_connection()
        try:
            connection = pooled.driver_connection
            assert isinstance(connection, OneHopConnection), "SQLite engines of make_engines only"
            yield connection
        finally:
            await greenlet_spawn(pooled.close)

    @cached_property
    def outbox_insert(self) -> Prepared:
        """SQLite: the outbox INSERT `transaction()` makes, for `sqlite_write`; its `args` take
        `outbox_row(envelope)`."""
        keys = ["event_id", "topic", "type", "key", "envelope", "created_at"]  # outbox_row's
        return Prepared(insert(self.tables.outbox), column_keys=keys)

    def envelope(self, event: Event, *, tenant_id: UUID | None) -> RawEnvelope:
        """The envelope `Transaction.publish` would queue, for a statement that writes its own row."""
        return Envelope.wrap(event, tenant_id=tenant_id, now=self._clock.now())

    @staticmethod
    def outbox_values(envelope: RawEnvelope) -> tuple[UUID, str, str, str, str, Any]:
        """The outbox row of `envelope` as `transaction()` writes it (event_id, topic, type, key,
        envelope, created_at), the envelope as the JSON text SQLAlchemy's JSON type sends."""
        row = UnitOfWork.outbox_row(envelope)
        return (
            row["event_id"],
            row["topic"],
            row["type"],
            row["key"],
            json.dumps(row["envelope"]),
            row["created_at"],
        )

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session:
            yield session

    @staticmethod
    def outbox_row(envelope: RawEnvelope) -> dict[str, Any]:
        """The outbox row of `envelope`, as `transaction()` writes it."""
        return {
            "event_id": envelope.id,
            "topic": envelope.topic,
            "type": envelope.type,
            "key": envelope.key,
            "envelope": envelope.model_dump(mode="json"),
            "created_at": envelope.occurred_at,
        }
