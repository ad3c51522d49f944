"""Each tenant-scoped service keeps a replica of tenants (fed by user events) to resolve `{tenant}` slugs."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import select

from reservo.contracts.events.user import TenantCreated
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.tables import add_tenant_table
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.http.problems import NotFound
from reservo.platform.service import ServiceContext


class TenantNotFound(NotFound):
    code, title = "tenant_not_found", "No such tenant"


@dataclass(frozen=True, slots=True)
class TenantRef:
    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    currency: str


def _cache_key(service: str, slug: str) -> str:
    return f"tenant:{service}:{slug}"


_invalidations: set[asyncio.Task[None]] = set()


async def on_tenant_changed(event: Envelope[TenantCreated], tx: Transaction, ctx: ServiceContext) -> None:
    table = add_tenant_table(ctx.uow.tables.outbox.metadata)
    old_slug = await tx.session.scalar(select(table.c.slug).where(table.c.id == event.data.id))
    stale = {_cache_key(ctx.name, s) for s in (old_slug, event.data.slug) if s}
    values: dict[str, Any] = event.data.model_dump(include={"id", "slug", "name", "timezone", "currency"})
    values["updated_at"] = event.occurred_at
    stmt = upsert_insert(tx.session, table, values)
    # Replays and out-of-order updates must not move the replica backwards.
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={k: stmt.excluded[k] for k in values if k != "id"},
        where=table.c.updated_at <= stmt.excluded.updated_at,
    )
    await tx.session.execute(stmt)
    # Invalidate now and again after commit: a resolver reading between the two would re-cache the
    # old row. A crash before the second delete leaves at most the cache TTL of staleness.
    await ctx.cache.delete(*stale)

    def invalidate_again() -> None:
        task = asyncio.get_running_loop().create_task(ctx.cache.delete(*stale))
        _invalidations.add(task)
        task.add_done_callback(_invalidations.discard)

    tx.after_commit(invalidate_again)


TENANT_HANDLERS = {"user.tenant.created": on_tenant_changed, "user.tenant.updated": on_tenant_changed}


def tenant_resolver(service: str) -> Any:
    """A dependency resolving the path's `{tenant}` slug in `service`'s own replica."""

    async def resolve(tenant: str, request: Request) -> TenantRef:
        ctx: ServiceContext = request.app.state.runtime.contexts[service]
        key = _cache_key(service, tenant)
        if (cached := await ctx.cache.get(key)) is not None:
            data = json.loads(cached)
            return TenantRef(**{**data, "id": uuid.UUID(data["id"])})
        table = add_tenant_table(ctx.uow.tables.outbox.metadata)
        async with ctx.uow.read() as session:
            row = (await session.execute(select(table).where(table.c.slug == tenant))).one_or_none()
        if row is None:
            raise TenantNotFound(f"No tenant '{tenant}'")  # not cached: the replica may arrive soon
        ref = TenantRef(row.id, row.slug, row.name, row.timezone, row.currency)
        payload = json.dumps({**asdict(ref), "id": str(ref.id)}).encode()
        await ctx.cache.set(key, payload, ctx.settings.cache_ttl_seconds)
        return ref

    return resolve
