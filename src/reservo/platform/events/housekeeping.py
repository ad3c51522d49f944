"""Per service, every RESERVO_HOUSEKEEPING_SECONDS: prune relayed outbox rows and inbox rows older
than RESERVO_EVENT_RETENTION_DAYS, and set the outbox-lag and dead-letter gauges (issue 9 item 14).

The retention must exceed how long the bus can redeliver (Kafka topic retention, a consumer group
reset): an inbox row is what makes a redelivered event a no-op.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from reservo.platform.events.relay import Relay
from reservo.platform.observability import DEAD_LETTERS, OUTBOX_LAG
from reservo.platform.service import ServiceContext


async def housekeep(ctx: ServiceContext, relay: Relay) -> int:
    """Returns how many rows it pruned."""
    retention = timedelta(days=ctx.settings.event_retention_days)
    pruned = await relay.purge_sent(older_than=retention)
    tables = ctx.uow.tables
    async with ctx.uow.transaction() as tx:
        result = await tx.session.execute(
            delete(tables.inbox).where(tables.inbox.c.processed_at < ctx.clock.now() - retention)
        )
        pruned += int(result.rowcount or 0)  # type: ignore[attr-defined]
    async with ctx.uow.read() as session:
        unsent = await session.scalar(
            select(func.count()).select_from(tables.outbox).where(tables.outbox.c.sent_at.is_(None))
        )
        dead = await session.scalar(
            select(func.count())
            .select_from(tables.dead_letters)
            .where(tables.dead_letters.c.replayed_at.is_(None))
        )
    OUTBOX_LAG.labels(ctx.name).set(unsent or 0)
    DEAD_LETTERS.labels(ctx.name).set(dead or 0)
    return pruned
