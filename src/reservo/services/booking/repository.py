"""Tenant-scoped statements of the booking service: every query starts from the tenant."""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import asyncpg
from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    inspect,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.sqlite_driver import Prepared
from reservo.platform.db.tables import add_tenant_table
from reservo.platform.db.uow import UnitOfWork
from reservo.platform.tenancy import TenantRef
from reservo.services.booking.models import Booking, CapacityCounter, OfferingReplica
from reservo.services.booking.slots import Claim, Span


class BookingRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    # offerings (read-model) -------------------------------------------------------------------
    async def offering(self, offering_id: uuid.UUID) -> OfferingReplica | None:
        return await self._s.scalar(
            select(OfferingReplica).where(
                OfferingReplica.tenant_id == self._tenant_id, OfferingReplica.id == offering_id
            )
        )

    async def offering_head(
        self, offering_id: uuid.UUID, holds_of: tuple[str, datetime] | None
    ) -> tuple[int, str, bool, int] | None:
        """The booking path's one read: the replica's version, status and deleted flag, and with
        `holds_of` (email, now) the unpaid holds of that email (`holds_for`) in the same statement.
        The offering's state itself is parsed once per version (readmodel.py), so it is not read here."""
        r = OfferingReplica
        held: Any = self._holds(*holds_of).scalar_subquery() if holds_of else func.coalesce(0, 0)
        row = (
            await self._s.execute(
                select(r.version, r.status, r.deleted, held).where(
                    r.tenant_id == self._tenant_id, r.id == offering_id
                )
            )
        ).one_or_none()
        return None if row is None else (row[0], row[1], row[2], int(row[3] or 0))

    async def offerings(self, ids: Sequence[uuid.UUID] | None = None) -> list[OfferingReplica]:
        stmt = select(OfferingReplica).where(OfferingReplica.tenant_id == self._tenant_id)
        if ids is not None:
            stmt = stmt.where(OfferingReplica.id.in_(ids))
        return list(await self._s.scalars(stmt))

    # capacity counters ------------------------------------------------------------------------
    async def ensure_counter(
        self,
        offering_id: uuid.UUID,
        key: str,
        capacity: int,
        *,
        resource_id: uuid.UUID | None = None,
        starts_at: datetime | None = None,
        span: Span | None = None,
    ) -> uuid.UUID:
        """The counter's id, creating the row on first use (INSERT ... ON CONFLICT DO NOTHING, so two
        first bookings racing for one slot end up on the same row)."""
        values: dict[str, Any] = {
            "id": uuid.uuid4(),
            "tenant_id": self._tenant_id,
            "offering_id": offering_id,
            "key": key,
            "capacity": capacity,
            "taken": 0,
            "resource_id": resource_id,
            "starts_at": starts_at,
            "span_start": span.start if span else None,
            "span_end": span.end if span else None,
        }
        table = CapacityCounter.__table__
        await self._s.execute(
            upsert_insert(self._s, table, values).on_conflict_do_nothing(
                index_elements=[table.c.offering_id, table.c.key]
            )
        )
        counter_id = await self._s.scalar(
            select(CapacityCounter.id).where(
                CapacityCounter.tenant_id == self._tenant_id,
                CapacityCounter.offering_id == offering_id,
                CapacityCounter.key == key,
            )
        )
        assert counter_id is not None  # inserted above or by the transaction we waited for
        return counter_id

    async def claim_key(self, offering_id: uuid.UUID, key: str, n: int) -> uuid.UUID | None:
        """Take n units of an existing counter found by key: the common case in one round trip.
        None when the row is full or does not exist yet (see `ensure_counter`)."""
        c = CapacityCounter
        counter_id: uuid.UUID | None = await self._s.scalar(
            update(c)
            .where(c.tenant_id == self._tenant_id, c.offering_id == offering_id, c.key == key)
            .where(c.taken + n <= c.capacity)
            .values(taken=c.taken + n)
            .returning(c.id)
            .execution_options(synchronize_session=False)
        )
        return counter_id

    async def claim_into(self, offering_id: uuid.UUID, key: str, n: int, booking: Booking) -> bool:
        """PostgreSQL: `claim_key` and `insert` as one statement (the UPDATE in a CTE, the INSERT
        selecting from it), so the hot counter row is locked one round trip less. The booking is
        inserted only if the claim took; False (nothing written) when the counter is full or not
        there yet. The arbitration is the same conditional UPDATE."""
        c = cast(Any, CapacityCounter.__table__)
        claimed = (
            update(c)
            .where(c.c.tenant_id == self._tenant_id, c.c.offering_id == offering_id, c.c.key == key)
            .where(c.c.taken + n <= c.c.capacity)
            .values(taken=c.c.taken + n)
            .returning(c.c.id)
            .cte("claimed")
        )
        booking.tenant_id = self._tenant_id
        row = {column: getattr(booking, attr) for attr, column in _BOOKING_COLUMNS}
        table = cast(Any, Booking.__table__)
        names = [name for name in row if name != "counter_id"]
        values = select(*(literal(row[name], table.c[name].type) for name in names), claimed.c.id)
        stmt = insert(table).from_select([*names, "counter_id"], values).returning(table.c.counter_id)
        counter: uuid.UUID | None = (await self._s.execute(stmt)).scalar_one_or_none()
        booking.counter_id = counter
        return counter is not None

    async def claim(self, counter_id: uuid.UUID, n: int) -> bool:
        """Take n units if they are free, atomically: the UPDATE itself is the lock (no read-then-write)."""
        result = await self._s.execute(
            update(CapacityCounter)
            .where(
                CapacityCounter.id == counter_id,
                CapacityCounter.tenant_id == self._tenant_id,
                CapacityCounter.taken + n <= CapacityCounter.capacity,
            )
            .values(taken=CapacityCounter.taken + n)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def release(self, counter_id: uuid.UUID, n: int) -> None:
        await self._s.execute(
            update(CapacityCounter)
            .where(CapacityCounter.id == counter_id, CapacityCounter.tenant_id == self._tenant_id)
            .values(taken=CapacityCounter.taken - n)
            .execution_options(synchronize_session=False)
        )

    async def resource_overlap(self, resource_id: uuid.UUID, span: Span, counter_id: uuid.UUID) -> bool:
        """Whether another appointment holds the resource during `span` (buffers included)."""
        c = CapacityCounter
        stmt = select(
            exists().where(
                c.tenant_id == self._tenant_id,
                c.resource_id == resource_id,
                c.taken > 0,
                c.id != counter_id,
                c.span_start < span.end,
                c.span_end > span.start,
            )
        )
        return bool(await self._s.scalar(stmt))

    async def claims(self, resource_ids: Sequence[uuid.UUID], span: Span) -> list[Claim]:
        c = CapacityCounter
        rows = await self._s.execute(
            select(c.resource_id, c.offering_id, c.starts_at, c.span_start, c.span_end, c.taken).where(
                c.tenant_id == self._tenant_id, *_claimed(resource_ids, span)
            )
        )
        # The WHERE clause makes the nullable appointment columns present on every row returned.
        return [Claim(r[0], r[1], r[2], Span(r[3], r[4]), r[5]) for r in cast(Any, rows)]

    async def head_with_claims(
        self, offering_id: uuid.UUID, resource_ids: Sequence[uuid.UUID], span: Span
    ) -> tuple[tuple[int, str, bool], list[Claim]] | None:
        """Availability's one statement: the replica's (version, status, deleted) and the claims on
        `resource_ids` overlapping `span` (the caller's resources of the version it expects; if the
        version read differs, it asks again with the right ones)."""
        params = {
            "tenant": self._tenant_id,
            "offering": offering_id,
            "resources": list(resource_ids),
            "span_start": span.start,
            "span_end": span.end,
        }
        rows = (await self._s.execute(_HEAD_WITH_CLAIMS, params)).all()
        if not rows:
            return None
        head = (rows[0][0], rows[0][1], rows[0][2])
        # The outer join answers one row of NULLs when nothing is claimed.
        claims = [Claim(x[3], x[4], x[5], Span(x[6], x[7]), x[8]) for x in rows if x[3] is not None]
        return head, claims

    async def taken_by_key(self, offering_id: uuid.UUID) -> dict[str, int]:
        rows = await self._s.execute(
            select(CapacityCounter.key, CapacityCounter.taken).where(
                CapacityCounter.tenant_id == self._tenant_id,
                CapacityCounter.offering_id == offering_id,
                CapacityCounter.resource_id.is_(None),
            )
        )
        return {k: t for k, t in rows}

    # bookings ---------------------------------------------------------------------------------
    def _bookings(self) -> Select[Booking]:
        return select(Booking).where(Booking.tenant_id == self._tenant_id)

    async def insert(self, booking: Booking) -> Booking:
        """A new booking as one Core INSERT of all its columns (the booking path: no ORM flush)."""
        booking.tenant_id = self._tenant_id
        row = {column: getattr(booking, attr) for attr, column in _BOOKING_COLUMNS}
        await self._s.execute(_BOOKING_INSERT, row)
        return booking

    def add(self, booking: Booking) -> Booking:
        booking.tenant_id = self._tenant_id
        self._s.add(booking)
        return booking

    async def get(self, booking_id: uuid.UUID) -> Booking | None:
        booking: Booking | None = await self._s.scalar(self._bookings().where(Booking.id == booking_id))
        return booking

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
        status: str | None = None,
        offering_id: uuid.UUID | None = None,
        email: str | None = None,
        start_from: datetime | None = None,
        start_to: datetime | None = None,
    ) -> list[Booking]:
        stmt = self._bookings()
        if status:
            stmt = stmt.where(Booking.status == status)
        if offering_id:
            stmt = stmt.where(Booking.offering_id == offering_id)
        if email:
            stmt = stmt.where(Booking.customer_email == email.lower())
        if start_from:
            stmt = stmt.where(Booking.sort_at >= start_from)
        if start_to:
            stmt = stmt.where(Booking.sort_at < start_to)
        return await _page(self._s, stmt, limit, after)

    async def transition(self, booking: Booking, status: str, **values: Any) -> bool:
        """Move the booking on from the status and version it was read with: one conditional UPDATE,
        so of two concurrent changes (or two sweepers) exactly one wins; the other sees False."""
        result = await self._s.execute(
            update(Booking)
            .where(
                Booking.tenant_id == self._tenant_id,
                Booking.id == booking.id,
                Booking.status == booking.status,
                Booking.version == booking.version,
            )
            .values(status=status, version=Booking.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self._s.expunge(booking)  # the caller mirrors the change on it; the ORM must not flush it again
        return True

    def _holds(self, email: str, now: datetime) -> Select[Any]:
        return (
            select(func.count())
            .select_from(Booking)
            .where(
                Booking.tenant_id == self._tenant_id,
                Booking.customer_email == email,
                Booking.status == "pending",
                Booking.expires_at > now,
            )
        )

    async def holds_for(self, email: str, now: datetime) -> int:
        """Unpaid bookings of this customer email in the tenant that still hold capacity."""
        return int(await self._s.scalar(self._holds(email, now)) or 0)

    async def in_range(self, start_from: datetime, start_to: datetime) -> list[Booking]:
        return list(
            await self._s.scalars(
                self._bookings().where(Booking.sort_at >= start_from, Booking.sort_at < start_to)
            )
        )


_BOOKING_INSERT = insert(cast(Any, Booking.__table__))
# Built once (availability asks it on every request): Core columns, values bound at execution.
_REPLICAS, _COUNTERS = cast(Any, OfferingReplica.__table__), cast(Any, CapacityCounter.__table__)
_HEAD_WITH_CLAIMS = (
    select(_REPLICAS.c.version, _REPLICAS.c.status, _REPLICAS.c.deleted)
    .add_columns(_COUNTERS.c.resource_id, _COUNTERS.c.offering_id, _COUNTERS.c.starts_at)
    .add_columns(_COUNTERS.c.span_start, _COUNTERS.c.span_end, _COUNTERS.c.taken)
    .select_from(
        _REPLICAS.outerjoin(
            _COUNTERS,
            and_(
                _COUNTERS.c.tenant_id == _REPLICAS.c.tenant_id,
                _COUNTERS.c.resource_id.in_(bindparam("resources", expanding=True)),
                _COUNTERS.c.taken > 0,
                _COUNTERS.c.span_start < bindparam("span_end"),
                _COUNTERS.c.span_end > bindparam("span_start"),
            ),
        )
    )
    .where(_REPLICAS.c.tenant_id == bindparam("tenant"), _REPLICAS.c.id == bindparam("offering"))
)
# (attribute, column) of every mapped column of a booking, for the Core INSERT.
_BOOKING_COLUMNS = tuple((a.key, a.columns[0].key) for a in inspect(Booking).column_attrs)


def _hot_statement(limited: bool) -> str:
    """`HotBookings.book` in PostgreSQL's SQL, the booking's columns from the model (each parameter
    cast to its column's type: in INSERT ... SELECT PostgreSQL does not infer it; without a length,
    so that a too long value fails on assignment as it would in an INSERT instead of being cut by
    the cast). `limited`: the customer email's unpaid holds are counted in the same statement and
    the booking is written only while they are under the limit (D15-50)."""
    table = cast(Any, Booking.__table__)
    pg = postgresql.dialect()  # type: ignore[no-untyped-call]
    columns = [column for _, column in _BOOKING_COLUMNS if column != "counter_id"]
    first = 6  # $1 tenant, $2 offering, $3 version, $4 quantity, $5 counter key
    types = [re.sub(r"\(\d+\)", "", table.c[name].type.compile(dialect=pg)) for name in columns]
    param = {name: f"${first + i}::{kind}" for i, (name, kind) in enumerate(zip(columns, types, strict=True))}
    o = first + len(columns)
    # The email's unpaid holds as `BookingRepository.holds_for` counts them, at the booking's `now`.
    held, under_limit = (
        (
            f"""(SELECT count(*) FROM bookings b
                 WHERE b.tenant_id = $1 AND b.customer_email = {param["customer_email"]}
                   AND b.status = 'pending' AND b.expires_at > {param["created_at"]})""",
            f"AND held < ${o + 6}::int",
        )
        if limited
        else ("NULL::bigint", "")
    )
    return f"""
        WITH head AS (
            SELECT version = $3 AND status = 'published' AND NOT deleted AS current, {held} AS held
            FROM offering_replicas WHERE tenant_id = $1 AND id = $2
        ), fresh AS (
            SELECT 1 FROM head WHERE current {under_limit}
        ), claimed AS (
            UPDATE capacity_counters SET taken = taken + $4
            WHERE tenant_id = $1 AND offering_id = $2 AND key = $5 AND taken + $4 <= capacity
              AND EXISTS (SELECT 1 FROM fresh)
            RETURNING id
        ), booked AS (
            INSERT INTO bookings ({", ".join(columns)}, counter_id)
            SELECT {", ".join(param.values())}, claimed.id FROM claimed
            RETURNING id
        ), published AS (
            INSERT INTO outbox (event_id, topic, type, key, envelope, created_at)
            SELECT ${o}::uuid, ${o + 1}::varchar, ${o + 2}::varchar, ${o + 3}::varchar, ${o + 4}::json,
                   ${o + 5}::timestamptz
            FROM booked
            RETURNING position
        )
        SELECT COALESCE((SELECT current FROM head), false),
               (SELECT held FROM head),
               (SELECT id FROM claimed),
               EXISTS (SELECT 1 FROM capacity_counters
                       WHERE tenant_id = $1 AND offering_id = $2 AND key = $5),
               (SELECT count(*) FROM published)"""


_HOT_BOOK, _HOT_BOOK_LIMITED = _hot_statement(limited=False), _hot_statement(limited=True)


@dataclass(frozen=True, slots=True)
class HotOutcome:
    """What `HotBookings.book` found: the replica at the version (published, not deleted), the
    email's unpaid holds (None unless limited), the counter claimed (None: nothing was written) and
    whether that counter exists."""

    current: bool
    held: int | None
    counter: uuid.UUID | None
    exists: bool


class HotBookings:
    """PostgreSQL's booking path for one counter (an event session, a product's stock) on the
    driver's connection in autocommit (`UnitOfWork.driver`): plain SQL that asyncpg prepares once per
    connection, no SQLAlchemy statement built or compiled per booking (D15-14)."""

    def __init__(self, connection: asyncpg.Connection, *, tenant_id: uuid.UUID) -> None:
        self._c = connection
        self._tenant_id = tenant_id

    async def book(
        self,
        version: int,
        key: str,
        booking: Booking,
        outbox: tuple[Any, ...],
        max_held: int | None = None,
    ) -> HotOutcome:
        """One statement, atomic on its own: if the offering's replica is still at `version`,
        published and not deleted, and (with `max_held`) the customer email holds fewer unpaid
        bookings than that, claim the booking's quantity from the counter `key` (the same
        conditional UPDATE as `claim_key`: under READ COMMITTED it re-checks `taken + n <= capacity`
        on the row's newest version after waiting for its lock), insert the booking and its outbox
        row. Nothing is written unless a counter was claimed."""
        booking.tenant_id = self._tenant_id
        row = [getattr(booking, attr) for attr, column in _BOOKING_COLUMNS if column != "counter_id"]
        args = (self._tenant_id, booking.offering_id, version, booking.quantity, key, *row, *outbox)
        if max_held is None:
            found = await self._c.fetchrow(_HOT_BOOK, *args)
        else:
            found = await self._c.fetchrow(_HOT_BOOK_LIMITED, *args, max_held)
        current, held, counter, exists_, published = found
        assert (counter is None) == (published == 0)
        booking.counter_id = counter
        return HotOutcome(bool(current), None if held is None else int(held), counter, bool(exists_))


# Availability's one statement as plain SQL for asyncpg (HotAvailability): `_HEAD_WITH_CLAIMS`.
_HOT_HEAD_WITH_CLAIMS = """
    SELECT r.version, r.status, r.deleted,
           c.resource_id, c.offering_id, c.starts_at, c.span_start, c.span_end, c.taken
    FROM offering_replicas r
    LEFT JOIN capacity_counters c
      ON c.tenant_id = r.tenant_id AND c.resource_id = ANY($3::uuid[]) AND c.taken > 0
     AND c.span_start < $5 AND c.span_end > $4
    WHERE r.tenant_id = $1 AND r.id = $2"""


class HotAvailability:
    """`BookingRepository.head_with_claims` on the driver's connection in autocommit: one round trip
    (a read session costs three: BEGIN, the statement, ROLLBACK), prepared once per connection."""

    def __init__(self, connection: asyncpg.Connection, *, tenant_id: uuid.UUID) -> None:
        self._c = connection
        self._tenant_id = tenant_id

    async def head_with_claims(
        self, offering_id: uuid.UUID, resource_ids: Sequence[uuid.UUID], span: Span
    ) -> tuple[tuple[int, str, bool], list[Claim]] | None:
        rows = await self._c.fetch(
            _HOT_HEAD_WITH_CLAIMS, self._tenant_id, offering_id, list(resource_ids), span.start, span.end
        )
        if not rows:
            return None
        head = (rows[0][0], rows[0][1], rows[0][2])
        claims = [Claim(x[3], x[4], x[5], Span(x[6], x[7]), x[8]) for x in rows if x[3] is not None]
        return head, claims


class _SqliteHot:
    """The statements of `SqliteHotBookings`, compiled once for SQLite from the same Core expressions
    as the usual path's (so the values written are those SQLAlchemy writes)."""

    def __init__(self) -> None:
        r, c, b = _REPLICAS, _COUNTERS, cast(Any, Booking.__table__)
        tenant: Any = bindparam("tenant")
        offering: Any = bindparam("offering")
        held = (
            select(func.count())
            .select_from(b)
            .where(
                b.c.tenant_id == tenant,
                b.c.customer_email == bindparam("email"),
                b.c.status == "pending",
                b.c.expires_at > bindparam("now"),
            )
        )
        self.head = Prepared(
            select(r.c.version, r.c.status, r.c.deleted, held.scalar_subquery()).where(
                r.c.tenant_id == tenant, r.c.id == offering
            )
        )
        self.held = Prepared(held)
        self.fresh = Prepared(
            select(literal(1)).where(
                r.c.tenant_id == tenant,
                r.c.id == offering,
                r.c.version == bindparam("version"),
                r.c.status == "published",
                r.c.deleted.is_(False),
            )
        )
        counter = (c.c.tenant_id == tenant, c.c.offering_id == offering, c.c.key == bindparam("key"))
        self.claim = Prepared(
            update(c)
            .where(*counter, c.c.taken + bindparam("n") <= c.c.capacity)
            .values(taken=c.c.taken + bindparam("n"))
            .returning(c.c.id)
        )
        self.exists = Prepared(select(c.c.id).where(*counter))
        self.insert = Prepared(insert(b), column_keys=[column for _, column in _BOOKING_COLUMNS])


_SQLITE_HOT: list[_SqliteHot] = []  # built on first use: the PostgreSQL shape never compiles them


def _sqlite_hot() -> _SqliteHot:
    if not _SQLITE_HOT:
        _SQLITE_HOT.append(_SqliteHot())
    return _SQLITE_HOT[0]


def _sqlite_book(
    conn: sqlite3.Connection,
    s: _SqliteHot,
    fresh: list[Any],
    holds: tuple[list[Any], int] | None,
    claim: tuple[list[Any], list[Any]],
    booking: list[Any],
    counter_at: int,
    outbox: tuple[str, list[Any]],
) -> tuple[bool, str | None, bool, int | None]:
    """In the writer's thread, inside its BEGIN IMMEDIATE: the whole booking (see `book`)."""
    if conn.execute(s.fresh.sql, fresh).fetchone() is None:
        return False, None, False, None
    held = None
    if holds is not None:
        held = int(conn.execute(s.held.sql, holds[0]).fetchone()[0])
        if held >= holds[1]:
            return True, None, True, held
    claimed = conn.execute(s.claim.sql, claim[0]).fetchone()
    if claimed is None:
        exists = conn.execute(s.exists.sql, claim[1]).fetchone() is not None
        return True, None, exists, held
    booking[counter_at] = claimed[0]  # the stored form of the counter's id, as read
    conn.execute(s.insert.sql, booking)
    conn.execute(*outbox)
    return True, claimed[0], True, held


def _sqlite_head(conn: sqlite3.Connection, s: _SqliteHot, args: list[Any]) -> tuple[Any, ...] | None:
    row = conn.execute(s.head.sql, args).fetchone()
    return None if row is None else s.head.row(row)


class SqliteHotBookings:
    """SQLite's booking path for one counter (D15-60), the counterpart of `HotBookings`: each call is
    one function run in a connection's own thread (`UnitOfWork.sqlite_read`/`sqlite_write`, one
    hand-off each), its statements `Prepared` once and kept prepared by sqlite3, no session and no
    SQLAlchemy execution per booking."""

    def __init__(self, uow: UnitOfWork, *, tenant_id: uuid.UUID) -> None:
        self._uow = uow
        self._tenant_id = tenant_id
        self._s = _sqlite_hot()

    async def head(
        self, offering_id: uuid.UUID, email: str, now: datetime
    ) -> tuple[int, str, bool, int] | None:
        """`BookingRepository.offering_head` with the email's unpaid holds, on a reader (no lock)."""
        values = {"tenant": self._tenant_id, "offering": offering_id, "email": email, "now": now}
        row = await self._uow.sqlite_read(_sqlite_head, self._s, self._s.head.args(values))
        return None if row is None else (row[0], row[1], bool(row[2]), int(row[3]))

    async def book(
        self,
        version: int,
        key: str,
        booking: Booking,
        envelope: Any,
        holds: tuple[str, datetime, int] | None = None,
    ) -> tuple[bool, uuid.UUID | None, bool, int | None]:
        """One write transaction in one hand-off: if the offering's replica is still at `version`,
        published and not deleted, and (with `holds`: email, now, limit) that email holds fewer than
        `limit` unpaid bookings, claim the booking's quantity from the counter `key` (the conditional
        `UPDATE ... taken + n <= capacity`, under SQLite's one write lock), insert the booking and
        its outbox row (`envelope`). Returns (the version held, the counter claimed or None, whether
        that counter exists, the email's holds when counted); nothing is written unless claimed."""
        s, uow = self._s, self._uow
        booking.tenant_id = self._tenant_id
        base = {"tenant": self._tenant_id, "offering": booking.offering_id}
        fresh = s.fresh.args({**base, "version": version})
        held = (
            None if holds is None else (s.held.args({**base, "email": holds[0], "now": holds[1]}), holds[2])
        )
        counter_of = {**base, "key": key, "n": booking.quantity}
        claim = (s.claim.args(counter_of), s.exists.args(counter_of))
        row = {column: getattr(booking, attr) for attr, column in _BOOKING_COLUMNS}
        args = s.insert.args(row)
        outbox = (uow.outbox_insert.sql, uow.outbox_insert.args(uow.outbox_row(envelope)))
        fresh_, counter, exists, count = await uow.sqlite_write(
            _sqlite_book, s, fresh, held, claim, args, _COUNTER_AT, outbox
        )
        booking.counter_id = None if counter is None else uuid.UUID(counter)
        return fresh_, booking.counter_id, exists, count


_COUNTER_AT = [column for _, column in _BOOKING_COLUMNS].index("counter_id")


async def _page(
    session: AsyncSession,
    stmt: Select[Booking],
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
) -> list[Booking]:
    """Keyset pagination on (sort_at, id): stable under inserts, no OFFSET scans."""
    if after is not None:
        at, last_id = after
        stmt = stmt.where((Booking.sort_at > at) | ((Booking.sort_at == at) & (Booking.id > last_id)))
    return list(await session.scalars(stmt.order_by(Booking.sort_at, Booking.id).limit(limit)))


class CustomerBookings:
    """A signed-in customer's bookings across tenants: scoped by the customer's user id instead."""

    def __init__(self, session: AsyncSession, *, user_id: uuid.UUID) -> None:
        self._s = session
        self._user_id = user_id

    async def page(self, *, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[Booking]:
        return await _page(
            self._s, select(Booking).where(Booking.customer_user_id == self._user_id), limit, after
        )


class Expiry:
    """The hold sweeper's statements: across tenants by design (it serves every tenant's holds)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def due(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        rows = await self._s.execute(
            select(Booking.id, Booking.tenant_id)
            .where(Booking.status == "pending", Booking.expires_at <= now)
            .order_by(Booking.expires_at)
            .limit(limit)
        )
        return [(r[0], r[1]) for r in rows]


class BookingIndex:
    """A booking found by its (unguessable) id alone, with its tenant: for routes without a tenant."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, booking_id: uuid.UUID) -> tuple[Booking, TenantRef] | None:
        booking: Booking | None = await self._s.scalar(select(Booking).where(Booking.id == booking_id))
        if booking is None:
            return None
        table = add_tenant_table(Booking.metadata)
        row = (await self._s.execute(select(table).where(table.c.id == booking.tenant_id))).one_or_none()
        if row is None:
            return None
        return booking, TenantRef(row.id, row.slug, row.name, row.timezone, row.currency)


class OfferingReplicas:
    """Writes of the offering read-model, fed by catalog's events (replica.py), for one tenant."""

    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    async def version(self, offering_id: uuid.UUID) -> int | None:
        return await self._s.scalar(
            select(OfferingReplica.version).where(
                OfferingReplica.id == offering_id, OfferingReplica.tenant_id == self._tenant_id
            )
        )

    async def store(self, values: dict[str, Any]) -> None:
        """Insert or replace the offering's row (`values` holds every column)."""
        table = OfferingReplica.__table__
        stmt = upsert_insert(self._s, table, {**values, "tenant_id": self._tenant_id})
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.id], set_={k: stmt.excluded[k] for k in values if k != "id"}
        )
        await self._s.execute(stmt)

    async def resize(self, offering_id: uuid.UUID, capacity: int, *, key: str | None = None) -> None:
        """Counters of the offering follow a new capacity, never below what is already taken: the one
        with `key`, or without a key every appointment slot's (those on a resource)."""
        c = CapacityCounter
        which = c.key == key if key is not None else c.resource_id.is_not(None)
        await self._s.execute(
            update(c)
            .where(
                c.tenant_id == self._tenant_id, c.offering_id == offering_id, which, c.capacity != capacity
            )
            .values(capacity=case((c.taken > capacity, c.taken), else_=capacity))
            .execution_options(synchronize_session=False)
        )


class TenantSlugs:
    """This service's tenant replica, read across tenants: the slugs of a customer's bookings' tenants."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def of(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        table = add_tenant_table(Booking.metadata)
        rows = await self._s.execute(select(table.c.id, table.c.slug).where(table.c.id.in_(ids)))
        return {row.id: row.slug for row in rows}


class CustomerErasure:
    """An erased account's bookings, across tenants by design: those it made signed in and the guest
    bookings under its address (`user.erased`, erasure.py)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def bookings(self, user_id: uuid.UUID, email: str) -> list[Booking]:
        stmt = select(Booking).where(
            or_(Booking.customer_user_id == user_id, func.lower(Booking.customer_email) == email.lower())
        )
        return list((await self._s.scalars(stmt)).all())


def _claimed(resource_ids: Sequence[uuid.UUID], span: Span) -> tuple[Any, ...]:
    c = CapacityCounter
    return (c.resource_id.in_(resource_ids), c.taken > 0, c.span_start < span.end, c.span_end > span.start)
