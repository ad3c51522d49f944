"""Erasing a person from a service's event tables (issue 14, account deletion).

A service that handles `user.erased` anonymises its own rows; this removes the person from the
platform's tables beside them: relayed outbox rows and replayed dead letters whose envelope mentions
one of `needles` (an email address, a name, a phone number). Rows still to be relayed or replayed are
work in flight and stay until done; the housekeeping job prunes relayed rows after
RESERVO_EVENT_RETENTION_DAYS anyway (docs/decisions.md D14-A2).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, delete, func, or_

from reservo.platform.db.uow import Transaction
from reservo.platform.events.tables import EventTables

ERASED = "[erased]"  # what replaces a deleted person's name in rows the law makes us keep


def erased_email(key: object) -> str:
    """A placeholder address for rows that must keep a syntactically valid email (never deliverable)."""
    return f"erased-{key}@erased.invalid"


def mentions(column: ColumnElement[Any] | Any, needles: list[str]) -> ColumnElement[bool]:
    text = func.lower(cast(column, Text))
    return or_(*(text.contains(n.lower(), autoescape=True) for n in needles))


async def scrub_event_tables(tx: Transaction, tables: EventTables, needles: Iterable[str]) -> int:
    """Delete relayed outbox rows and replayed dead letters that mention any of `needles`."""
    wanted = sorted({n for n in needles if n and len(n) >= 3})
    if not wanted:
        return 0
    removed = 0
    outbox, dead = tables.outbox, tables.dead_letters
    for stmt in (
        delete(outbox).where(outbox.c.sent_at.is_not(None), mentions(outbox.c.envelope, wanted)),
        delete(dead).where(dead.c.replayed_at.is_not(None), mentions(dead.c.envelope, wanted)),
    ):
        result = await tx.session.execute(stmt)
        removed += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return removed
