"""Outbox, inbox and dead-letter tables, added to every service's own MetaData."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from reservo.platform.db.types import UTCDateTime


@dataclass(frozen=True, slots=True)
class EventTables:
    outbox: Table
    inbox: Table
    dead_letters: Table


def add_event_tables(metadata: MetaData) -> EventTables:
    if "outbox" in metadata.tables:
        t = metadata.tables
        return EventTables(t["outbox"], t["inbox"], t["dead_letters"])
    outbox = Table(
        "outbox",
        metadata,
        # INTEGER PRIMARY KEY on SQLite is the rowid: ever increasing, so the relay keeps commit order.
        Column(
            "position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("topic", String(100), nullable=False),
        Column("type", String(100), nullable=False),
        Column("key", String(100), nullable=False),
        Column("envelope", JSON, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("sent_at", UTCDateTime, nullable=True),
    )
    Index(
        "ix_outbox_unsent",
        outbox.c.position,
        postgresql_where=outbox.c.sent_at.is_(None),
        sqlite_where=outbox.c.sent_at.is_(None),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(100), nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("type", String(100), nullable=False),
        Column("processed_at", UTCDateTime, nullable=False),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("consumer", String(100), nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("type", String(100), nullable=False),
        Column("envelope", JSON, nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("created_at", UTCDateTime, nullable=False),
        Column("updated_at", UTCDateTime, nullable=False),
        Column("replayed_at", UTCDateTime, nullable=True),
        UniqueConstraint("consumer", "event_id"),
    )
    return EventTables(outbox, inbox, dead_letters)
