"""Counts the SQL statements every Reservo process sends, per service and kind (bench only).

`bench/ceiling.py` puts this folder on PYTHONPATH of `reservo serve` with RESERVO_BENCH_SQLCOUNT set
to a folder; Python imports `sitecustomize` at start in the serve process and in every process it
spawns (API workers, the relays' process). Each process counts SQLAlchemy's statements (one per
execute or executemany), the statements sent with asyncpg's `fetchrow` directly (booking's fast
path), those the SQLite fast path runs in the connection's thread, and the BEGIN/COMMIT/ROLLBACK it
issues, keyed by the database's service
suffix, and rewrites `<pid>.json` in that folder four times a second. Without the variable it does
nothing.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from typing import Any

_FOLDER = os.environ.get("RESERVO_BENCH_SQLCOUNT")

if _FOLDER:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    _counts: Counter[str] = Counter()

    def _service(conn: Any) -> str:
        database = conn.engine.url.database or ""
        return database.rsplit("_", 1)[-1].rsplit("/", 1)[-1].removesuffix(".db")

    @event.listens_for(Engine, "before_cursor_execute")
    def _statement(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        kind = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
        _counts[f"{_service(conn)} {kind}"] += 1

    @event.listens_for(Engine, "commit")
    def _commit(conn: Any) -> None:
        _counts[f"{_service(conn)} COMMIT"] += 1

    @event.listens_for(Engine, "rollback")
    def _rollback(conn: Any) -> None:
        _counts[f"{_service(conn)} ROLLBACK"] += 1

    # Booking's fast path (D15-14) sends its statements on the asyncpg connection itself.
    import asyncpg

    _fetchrow = asyncpg.Connection.fetchrow

    async def _counted_fetchrow(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        database = self._params.database or ""
        kind = query.lstrip().split(None, 1)[0].upper() if query.strip() else "?"
        _counts[f"{database.rsplit('_', 1)[-1]} {kind}"] += 1
        return await _fetchrow(self, query, *args, **kwargs)

    asyncpg.Connection.fetchrow = _counted_fetchrow  # type: ignore[method-assign]

    # Booking's SQLite fast path (D15-60) runs functions in the connection's thread with the sqlite3
    # module itself: SQLite's trace callback counts what they execute (BEGIN and COMMIT included).
    from reservo.platform.db import sqlite_driver

    def _traced(run: Any) -> Any:
        def traced(connection: Any, *args: Any, **kwargs: Any) -> Any:
            database = str(connection._connector.args[0])  # partial(sqlite3.connect, path, ...)
            service = database.rsplit("/", 1)[-1].removesuffix(".db")

            def count(statement: str) -> None:
                kind = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
                _counts[f"{service} {kind}"] += 1

            connection._conn.set_trace_callback(count)
            try:
                return run(connection, *args, **kwargs)
            finally:
                connection._conn.set_trace_callback(None)

        return traced

    for _name in ("_in_transaction", "_alone"):  # absent in an older checkout (an A/B with --reservo)
        if hasattr(sqlite_driver, _name):
            setattr(sqlite_driver, _name, _traced(getattr(sqlite_driver, _name)))

    def _dump() -> None:
        path = os.path.join(_FOLDER, f"{os.getpid()}.json")
        stop = threading.Event()
        while not stop.wait(0.25):
            with open(path + ".tmp", "w") as out:
                json.dump(dict(_counts), out)
            os.replace(path + ".tmp", path)

    threading.Thread(target=_dump, daemon=True, name="sqlcount").start()
