"""aiosqlite with one thread hand-off per statement instead of three or four (D15-34).

aiosqlite runs every sqlite3 call in the connection's own thread, and SQLAlchemy's adapter makes
one call per step of a statement: open a cursor, execute, fetch the rows, close the cursor. Each is a
hand-off to that thread and back to the event loop (a queue put, a thread wake-up, a
`call_soon_threadsafe`, a loop wake-up): on the embedded default, where every statement of every
service runs in one process, those hand-offs were a large share of the CPU per booking.

Here a statement is one call in the connection's thread: open a cursor, execute, fetch every row,
close. The cursor the adapter sees only holds the result. Everything else stays aiosqlite: the same
thread per connection (so a statement that waits for SQLite's lock waits there and never blocks the
event loop), commit, rollback and close, and its error types. Rows are always fetched whole, which is
what the adapter's default (client-side) cursor did anyway.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import Any, Concatenate, ParamSpec, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url
from sqlalchemy.sql import ClauseElement

_Result = tuple[Any, int, int | None, list[Any]]
P = ParamSpec("P")
T = TypeVar("T")


def _run(connection: OneHopConnection, sql: str, parameters: Any, many: bool) -> _Result:
    """In the connection's thread: the whole statement, rows included, after the transaction's
    BEGIN if one is pending."""
    cursor = connection._conn.cursor()
    try:
        if (begin := connection.pending_begin) is not None:
            connection.pending_begin = None
            cursor.execute(begin)
        if many:
            cursor.executemany(sql, parameters)
        elif parameters is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, parameters)
        # fetched here, so that a RETURNING statement has run to its end and `rowcount` is final
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class _Cursor:
    """What SQLAlchemy's aiosqlite adapter expects of an aiosqlite cursor, over a fetched result."""

    __slots__ = ("_connection", "_rows", "arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, connection: OneHopConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.arraysize = 1
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> _Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _call(self, sql: str, parameters: Any, many: bool) -> _Cursor:
        # aiosqlite's own hand-off (untyped): the call runs in the connection's thread
        call = self._connection._execute
        result: _Result = await call(_run, self._connection, sql, parameters, many)  # type: ignore[no-untyped-call]
        self.description, self.rowcount, self.lastrowid, rows = result
        self._rows = rows
        return self

    async def execute(self, sql: str, parameters: Any = None) -> _Cursor:
        return await self._call(sql, parameters, False)

    async def executemany(self, sql: str, parameters: Sequence[Any]) -> _Cursor:
        return await self._call(sql, parameters, True)

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        n = self.arraysize if size is None else size
        taken, self._rows = self._rows[:n], self._rows[n:]
        return taken

    async def fetchall(self) -> list[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []


def _in_transaction(
    connection: OneHopConnection,
    begin: str,
    fn: Callable[Concatenate[sqlite3.Connection, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """In the connection's thread: `begin`, `fn`, COMMIT; ROLLBACK when `fn` or the COMMIT raises."""
    conn = connection._conn
    conn.execute(begin)
    try:
        result = fn(conn, *args, **kwargs)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return result


def _alone(
    connection: OneHopConnection,
    fn: Callable[Concatenate[sqlite3.Connection, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """In the connection's thread: `fn` outside a transaction."""
    return fn(connection._conn, *args, **kwargs)


class OneHopConnection(aiosqlite.Connection):
    # The BEGIN of the transaction SQLAlchemy just began: sent with its first statement, in the same
    # hand-off, instead of as a statement of its own (`begin_with_first_statement`).
    pending_begin: str | None = None

    async def run(
        self, fn: Callable[Concatenate[sqlite3.Connection, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`fn(sqlite3 connection, *args)` in the connection's thread, in one hand-off, outside any
        transaction (each statement sees the newest commit). Only on a connection no SQLAlchemy
        transaction is using (checked out of its pool, D15-60)."""
        assert self.pending_begin is None and not self._conn.in_transaction
        result: T = await self._execute(partial(_alone, self, fn, *args, **kwargs))  # type: ignore[no-untyped-call]
        return result

    async def run_transaction(
        self,
        begin: str,
        fn: Callable[Concatenate[sqlite3.Connection, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`begin` ("BEGIN IMMEDIATE" for the writer), `fn(sqlite3 connection, *args)` and COMMIT, or
        ROLLBACK if anything raised, as one hand-off to the connection's thread (D15-60). A BEGIN
        IMMEDIATE that waits for the lock waits in the thread, as a statement does."""
        assert self.pending_begin is None and not self._conn.in_transaction
        call = partial(_in_transaction, self, begin, fn, *args, **kwargs)
        result: T = await self._execute(call)  # type: ignore[no-untyped-call]
        return result

    def cursor(self) -> Any:  # the adapter enters it (`__aenter__`), as it does aiosqlite's
        return _Cursor(self)

    def _idle(self) -> bool:
        """No transaction is open (nothing ran since BEGIN was asked for, or none was): a commit or
        rollback has nothing to do. The pool rolls back every connection it gets back, after a
        commit too; that no longer costs a hand-off. Read between this connection's calls, never
        while its thread runs one."""
        if self.pending_begin is not None:
            self.pending_begin = None
            return True
        return self._connection is not None and not self._connection.in_transaction

    async def commit(self) -> None:
        if not self._idle():
            await super().commit()

    async def rollback(self) -> None:
        if not self._idle():
            await super().rollback()


_DIALECT = SQLiteDialect_aiosqlite()


class Prepared:
    """A SQLAlchemy Core statement compiled once for SQLite, to run with the sqlite3 module itself in
    a function of `OneHopConnection.run`/`run_transaction` (D15-60): `sql` is the statement's text
    with `?` placeholders (sqlite3 keeps it prepared per connection); `args(values)` the parameters in
    order, each through its column type's bind processor, i.e. the very values SQLAlchemy would send
    (UUIDs as 32 hex digits, UTC datetimes as text, JSON as `json.dumps`); `row(r)` a result row
    through the result processors, as SQLAlchemy would return it."""

    __slots__ = ("_binds", "_results", "sql")

    def __init__(self, statement: ClauseElement, column_keys: Sequence[str] | None = None) -> None:
        compiled: Any = statement.compile(
            dialect=_DIALECT, column_keys=list(column_keys) if column_keys is not None else None
        )
        self.sql: str = compiled.string
        processors = compiled._bind_processors
        # A bound literal (`status == "published"`) is sent as the value it was compiled with.
        fixed = compiled.construct_params(_check=False)
        binds = []
        for name in compiled.positiontup:
            process = processors.get(name)
            if compiled.binds[name].required:
                binds.append((name, process, True, None))
            else:
                value = fixed.get(name)
                binds.append((name, None, False, value if process is None else process(value)))
        self._binds = tuple(binds)
        self._results = tuple(
            entry.type._cached_result_processor(_DIALECT, None) for entry in compiled._result_columns
        )

    def args(self, values: Mapping[str, Any]) -> list[Any]:
        out = []
        for name, process, required, value in self._binds:
            if required:
                value = values[name] if process is None else process(values[name])
            out.append(value)
        return out

    def row(self, row: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(value if p is None else p(value) for p, value in zip(self._results, row, strict=True))


def begin_with_first_statement(begin: str) -> Callable[[Any], None]:
    """A listener of the engine's "begin" event: the transaction's `begin` ("BEGIN IMMEDIATE" for
    the writer) runs in the connection's thread right before its first statement. A BEGIN that has
    to wait for the lock waits there, as before; a transaction that ran nothing sends nothing."""

    def on_begin(conn: Any) -> None:
        driver = conn.connection.driver_connection
        if isinstance(driver, OneHopConnection):
            driver.pending_begin = begin
        else:  # another driver (a test's engine, say): the BEGIN as a statement of its own
            conn.exec_driver_sql(begin)

    return on_begin


def one_hop_connector(url: str) -> Callable[[], Awaitable[OneHopConnection]]:
    """An `async_creator` for `create_async_engine`: the connect arguments the aiosqlite dialect
    derives from `url`, opened as a `OneHopConnection`."""
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))

    async def connect() -> OneHopConnection:
        connection = OneHopConnection(partial(sqlite3.connect, *args, **kwargs), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy's dialect does: never hold the exit
        await connection  # starts the thread and opens the database there
        return connection

    return connect
