"""Idempotent consumer: inbox row and handler effects commit together; failures retry, then dead-letter."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import asyncpg
import structlog
from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from reservo.platform.context import causation_id, correlation_id
from reservo.platform.db.dialect import upsert_rows
from reservo.platform.db.uow import Transaction, UnitOfWork
from reservo.platform.events.envelope import Envelope, RawEnvelope, topic_of, typed
from reservo.platform.observability import EVENTS_HANDLED
from reservo.platform.tracing import consumer_span, consumer_spans

if TYPE_CHECKING:
    from reservo.platform.service import ServiceContext

log = structlog.get_logger(__name__)

Handler = Callable[[Envelope[Any], Transaction, "ServiceContext"], Awaitable[None]]
# Told after a dead letter committed (the Kafka bus copies it to `<topic>.dlq`).
DeadLetterSink = Callable[[str, RawEnvelope, str], Awaitable[None]]


BatchHandler = Callable[[list[Envelope[Any]], Transaction, "ServiceContext"], Awaitable[None]]


class Batched:
    """A handler with a second form for a run of consecutive events it handles in one consumer batch
    (D15-6): `many` must leave the database as `one` applied to each event in order would (the same
    statement as one executemany, say), so a batch stays only a faster path to the same outcome.
    One by one (retries, dead letters, replays) `one` runs."""

    def __init__(self, one: Handler, many: BatchHandler) -> None:
        self.one = one
        self.many = many

    async def __call__(self, event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        await self.one(event, tx, ctx)


# The database could not be reached: a server starting up or shutting down, a connection it closed,
# the pool's wait for a connection; refused or reset sockets only when raised inside the database
# driver or SQLAlchemy (a mail server or an API that refuses is the handler's failure, counted).
_UNREACHABLE = (asyncpg.PostgresConnectionError, asyncpg.exceptions.OperatorInterventionError, PoolTimeout)
_SOCKET = (ConnectionRefusedError, ConnectionResetError)
_DATABASE_CODE = ("/asyncpg/", "/sqlalchemy/")


def _raised_by_database_code(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if any(part in tb.tb_frame.f_code.co_filename for part in _DATABASE_CODE):
            return True
        tb = tb.tb_next
    return False


# How long a consumer keeps retrying an event while its database is unreachable, without counting
# attempts towards the dead letter (D15-43); after that, attempts count as for any failure.
UNREACHABLE_FOR_SECONDS = 600.0


def store_unreachable(exc: BaseException) -> bool:
    """Whether `exc` says the database could not be reached (the cause chain included: SQLAlchemy
    wraps the driver's error)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _UNREACHABLE):
            return True
        if isinstance(current, _SOCKET) and _raised_by_database_code(current):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        orig = getattr(current, "orig", None)
        todo += [orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__]
    return False


def _runs(envelopes: list[RawEnvelope], handlers: Mapping[str, Handler]) -> list[list[RawEnvelope]]:
    """Consecutive events whose handler has a batch form and is the same handler, grouped; any other
    event is a run of its own. Order is kept."""
    runs: list[list[RawEnvelope]] = []
    for envelope in envelopes:
        handler = handlers[envelope.type]
        if runs and isinstance(handler, Batched) and handlers[runs[-1][0].type] is handler:
            runs[-1].append(envelope)
        else:
            runs.append([envelope])
    return runs


class _AlreadyProcessed(Exception):
    pass


class Consumer:
    def __init__(
        self,
        ctx: ServiceContext,
        handlers: Mapping[str, Handler],
        *,
        max_attempts: int = 5,
        backoff_seconds: float = 0.2,
        on_dead_letter: DeadLetterSink | None = None,
    ) -> None:
        self.name = ctx.name
        self._ctx = ctx
        self._uow: UnitOfWork = ctx.uow
        self._handlers = handlers
        self._max_attempts = max_attempts
        self._backoff = backoff_seconds
        self._on_dead_letter = on_dead_letter
        self._inbox_statement: Any = None

    @property
    def topics(self) -> list[str]:
        return sorted({topic_of(t) for t in self._handlers})

    async def deliver(self, envelope: RawEnvelope) -> None:
        """Handle one delivery. Never raises for a failing handler: the event goes to dead letters."""
        handler = self._handlers.get(envelope.type)
        if handler is None:
            return
        attempt, waits = 1, 0
        unreachable_since: float | None = None
        while True:
            try:
                outcome = await self._apply(envelope, handler)
                EVENTS_HANDLED.labels(self.name, envelope.type, outcome).inc()
                return
            except Exception as exc:
                now = asyncio.get_running_loop().time()
                if store_unreachable(exc):  # a database restart is not the event's fault: wait it out
                    unreachable_since = unreachable_since or now
                    if now - unreachable_since < UNREACHABLE_FOR_SECONDS:
                        log.warning(
                            "consumer.store_unreachable", consumer=self.name, event_id=str(envelope.id)
                        )
                        await asyncio.sleep(min(2.0, self._backoff * 2 ** min(waits, 4)))
                        waits += 1
                        continue
                log.warning(
                    "consumer.handler_failed",
                    consumer=self.name,
                    event_id=str(envelope.id),
                    type=envelope.type,
                    attempt=attempt,
                    error=repr(exc),
                )
                if attempt >= self._max_attempts:
                    await self._dead_letter(envelope, exc, attempt)
                    EVENTS_HANDLED.labels(self.name, envelope.type, "dead_lettered").inc()
                    return
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
                attempt += 1

    async def deliver_many(self, envelopes: Sequence[RawEnvelope]) -> None:
        """Handle events of one partition in order in ONE transaction (their inbox rows included).
        If anything in the batch fails, nothing of it commits and each event goes through `deliver`
        on its own (retries, dead letters): the batch is only a faster path to the same outcome."""
        mine = [e for e in envelopes if e.type in self._handlers]
        if len(mine) < 2:
            for envelope in mine:
                await self.deliver(envelope)
            return
        try:
            applied = await self._apply_batch(mine)
        except Exception as exc:
            log.info("consumer.batch_fallback", consumer=self.name, events=len(mine), error=repr(exc))
            for envelope in mine:
                await self.deliver(envelope)
            return
        for envelope in mine:
            outcome = "applied" if envelope.id in applied else "duplicate"
            EVENTS_HANDLED.labels(self.name, envelope.type, outcome).inc()

    def _inbox_insert(self, tx: Transaction) -> Any:
        """`INSERT INTO inbox ... ON CONFLICT DO NOTHING RETURNING event_id`, built once: run with a
        batch's rows, it answers the events not applied before (a concurrent delivery that inserted
        the same row first makes this one wait for it and then skip it)."""
        if self._inbox_statement is None:
            inbox = self._uow.tables.inbox
            self._inbox_statement = (
                upsert_rows(tx.session, inbox)
                .on_conflict_do_nothing(index_elements=[inbox.c.consumer, inbox.c.event_id])
                .returning(inbox.c.event_id)
            )
        return self._inbox_statement

    async def _apply_batch(self, envelopes: list[RawEnvelope]) -> set[uuid.UUID]:
        async with self._uow.transaction() as tx:
            now = self._ctx.clock.now()
            unique: dict[uuid.UUID, RawEnvelope] = {}
            for e in envelopes:
                unique.setdefault(e.id, e)  # the same event twice in one batch is applied once
            rows = [
                {"consumer": self.name, "event_id": e.id, "type": e.type, "processed_at": now}
                for e in unique.values()
            ]
            # one statement checks the inbox and claims the events not applied before
            claimed = set((await tx.session.execute(self._inbox_insert(tx), rows)).scalars())
            fresh = [e for e in unique.values() if e.id in claimed]
            if not fresh:
                return set()
            for run in _runs(fresh, self._handlers):
                handler = self._handlers[run[0].type]
                if len(run) > 1 and isinstance(handler, Batched):
                    traceparents = [e.traceparent for e in run]
                    with consumer_spans(self.name, run[0].type, traceparents):
                        await handler.many([typed(e) for e in run], tx, self._ctx)
                    continue
                envelope = run[0]
                corr_token = correlation_id.set(envelope.correlation_id)
                cause_token = causation_id.set(envelope.id)
                try:
                    with consumer_span(self.name, envelope.type, envelope.traceparent):
                        await handler(typed(envelope), tx, self._ctx)
                finally:
                    correlation_id.reset(corr_token)
                    causation_id.reset(cause_token)
        return {e.id for e in fresh}

    async def _apply(
        self, envelope: RawEnvelope, handler: Handler, *, replay_of: uuid.UUID | None = None
    ) -> str:
        corr_token = correlation_id.set(envelope.correlation_id)
        cause_token = causation_id.set(envelope.id)
        try:
            with consumer_span(self.name, envelope.type, envelope.traceparent):
                return await self._apply_once(envelope, handler, replay_of)
        except _AlreadyProcessed:
            return "duplicate"
        finally:
            correlation_id.reset(corr_token)
            causation_id.reset(cause_token)

    async def _apply_once(self, envelope: RawEnvelope, handler: Handler, replay_of: uuid.UUID | None) -> str:
        inbox = self._uow.tables.inbox
        async with self._uow.transaction() as tx:
            seen = await tx.session.scalar(
                select(inbox.c.event_id).where(inbox.c.consumer == self.name, inbox.c.event_id == envelope.id)
            )
            if seen is not None:
                raise _AlreadyProcessed
            try:
                await tx.session.execute(
                    insert(inbox).values(
                        consumer=self.name,
                        event_id=envelope.id,
                        type=envelope.type,
                        processed_at=self._ctx.clock.now(),
                    )
                )
            except IntegrityError as exc:  # a concurrent delivery of the same event won the race
                raise _AlreadyProcessed from exc
            await handler(typed(envelope), tx, self._ctx)
            if replay_of is not None:
                dl = self._uow.tables.dead_letters
                await tx.session.execute(
                    update(dl).where(dl.c.id == replay_of).values(replayed_at=self._ctx.clock.now())
                )
        return "applied"

    async def _dead_letter(self, envelope: RawEnvelope, exc: Exception, attempts: int) -> None:
        dl = self._uow.tables.dead_letters
        now = self._ctx.clock.now()
        async with self._uow.transaction() as tx:
            existing = await tx.session.scalar(
                select(dl.c.id).where(dl.c.consumer == self.name, dl.c.event_id == envelope.id)
            )
            values: dict[str, Any] = {"error": repr(exc)[:4000], "attempts": attempts, "updated_at": now}
            if existing is None:
                await tx.session.execute(
                    insert(dl).values(
                        id=uuid.uuid4(),
                        consumer=self.name,
                        event_id=envelope.id,
                        type=envelope.type,
                        envelope=envelope.model_dump(mode="json"),
                        created_at=now,
                        replayed_at=None,
                        **values,
                    )
                )
            else:
                await tx.session.execute(
                    update(dl).where(dl.c.id == existing).values(replayed_at=None, **values)
                )
        log.error("consumer.dead_lettered", consumer=self.name, event_id=str(envelope.id), type=envelope.type)
        if self._on_dead_letter is not None:
            await self._on_dead_letter(self.name, envelope, repr(exc))

    async def replay(self, dead_letter_id: uuid.UUID) -> str:
        """Apply a dead-lettered event once more; on success it is marked replayed."""
        dl = self._uow.tables.dead_letters
        async with self._uow.read() as session:
            row = (await session.execute(select(dl).where(dl.c.id == dead_letter_id))).one_or_none()
        if row is None:
            raise LookupError(f"no dead letter {dead_letter_id}")
        if row.replayed_at is not None:
            return "already_replayed"
        envelope = RawEnvelope.model_validate(row.envelope)
        handler = self._handlers.get(envelope.type)
        if handler is None:
            raise LookupError(f"{self.name} has no handler for {envelope.type}")
        try:
            outcome = await self._apply(envelope, handler, replay_of=dead_letter_id)
        except Exception as exc:
            await self._dead_letter(envelope, exc, row.attempts + 1)
            return "failed"
        if outcome == "duplicate":  # applied meanwhile by a redelivery: nothing to do but close it
            async with self._uow.transaction() as tx:
                await tx.session.execute(
                    update(dl).where(dl.c.id == dead_letter_id).values(replayed_at=self._ctx.clock.now())
                )
        return outcome
