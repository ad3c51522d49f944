"""Each tenant-scoped service keeps a replica of tenants (fed by user events) to resolve `{tenant}` slugs.

The replica's contract is the platform's (this module), not a service's: `TenantReplicated` names the
fields every replica keeps and `TENANT_CREATED` / `TENANT_UPDATED` the event types that carry them.
The user service publishes them (its `contracts/events/user.py` payloads extend `TenantReplicated`
with what receipts and emails need); the platform never imports a service's contract. A field every
replica must keep is added to `TenantReplicated` (optional, with a default, so older events still
parse) and as a column to `add_tenant_table`: the handler below copies every field it declares.

A slug the replica does not know yet (the tenant was created a moment ago and its event is on its way)
is asked of the owner, the user service (platform/owner.py), and the answer fills the replica: a
tenant that exists is never a 404 (read-your-writes, docs/decisions.md D9-1).
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.tables import add_tenant_table
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope, Event
from reservo.platform.http.problems import Forbidden, NotFound
from reservo.platform.service import ServiceContext

TENANT_CREATED = "user.tenant.created"
TENANT_UPDATED = "user.tenant.updated"
TENANT_EVENT_TYPES = (TENANT_CREATED, TENANT_UPDATED)


class TenantReplicated(Event):
    """What every tenant replica keeps; the payload of TENANT_CREATED / TENANT_UPDATED extends it."""

    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    currency: str
    suspended: bool = False  # set by a platform admin (issue 14)


class TenantNotFound(NotFound):
    code, title = "tenant_not_found", "No such tenant"


class TenantSuspended(Forbidden):
    code, title = "tenant_suspended", "This business is suspended by the platform"


@dataclass(frozen=True, slots=True)
class TenantRef:
    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    currency: str
    # Set by a platform admin (issue 14); every tenant replica keeps it (platform_0002_tenants).
    suspended: bool = False

    def check_open(self) -> None:
        """A suspended tenant's storefront, offering reads and new bookings answer 403 tenant_suspended."""
        if self.suspended:
            raise TenantSuspended(f"'{self.slug}' is suspended; existing bookings are kept")


def _cache_key(service: str, slug: str) -> str:
    return f"tenant:{service}:{slug}"


_invalidations: set[asyncio.Task[None]] = set()


async def on_tenant_changed(event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
    # The payload is whatever model the publisher registered (or a dict): read the replica's part only.
    tx.forget()  # what handlers of this transaction read of the tenant is older than this
    data = event.data
    if isinstance(data, Event):
        data = data.model_dump()
    tenant = TenantReplicated.model_validate(data)
    table = add_tenant_table(ctx.uow.tables.outbox.metadata)
    old_slug = await tx.session.scalar(select(table.c.slug).where(table.c.id == tenant.id))
    stale = {_cache_key(ctx.name, s) for s in (old_slug, tenant.slug) if s}
    values: dict[str, Any] = tenant.model_dump()  # exactly the replica's fields
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


TENANT_HANDLERS = dict.fromkeys(TENANT_EVENT_TYPES, on_tenant_changed)


_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# A row filled from the owner is older than any event: the tenant's own events always win over it.
_FILLED_AT = datetime(1970, 1, 1, tzinfo=UTC)


async def _fill_from_owner(ctx: ServiceContext, slug: str) -> TenantRef | None:
    if ctx.owners is None or not _SLUG.match(slug):
        return None
    found = await ctx.owners.get_json("user", f"/api/v1/tenants/{slug}")
    if found is None:
        return None
    ref = TenantRef(
        uuid.UUID(found["id"]),
        found["slug"],
        found["name"],
        found["timezone"],
        found["currency"],
        bool(found.get("suspended", False)),
    )
    table = add_tenant_table(ctx.uow.tables.outbox.metadata)
    values = {**asdict(ref), "updated_at": _FILLED_AT}
    try:
        async with ctx.uow.transaction() as tx:
            stmt = upsert_insert(tx.session, table, values)
            await tx.session.execute(stmt.on_conflict_do_nothing(index_elements=[table.c.id]))
    except IntegrityError:
        pass  # a stale row still holds the slug (a rename on its way): answer, fill later by event
    return ref


def tenant_resolver(service: str) -> Any:
    """A dependency resolving the path's `{tenant}` slug in `service`'s own replica."""

    async def resolve(tenant: str, request: Request) -> TenantRef:
        ctx: ServiceContext = request.app.state.runtime.contexts[service]
        key = _cache_key(service, tenant)
        near = ctx.cache.near  # this process's parsed copy, dropped by every invalidation (D15-51)
        if (known := near.get(key)) is not None:
            found: TenantRef = known
            return found
        mark = near.mark()
        if (cached := await ctx.cache.get(key)) is not None:
            data = json.loads(cached)
            ref = TenantRef(**{**data, "id": uuid.UUID(data["id"])})
            near.put(key, ref, mark)
            return ref
        table = add_tenant_table(ctx.uow.tables.outbox.metadata)
        async with ctx.uow.read() as session:
            row = (await session.execute(select(table).where(table.c.slug == tenant))).one_or_none()
        if row is not None:
            ref = TenantRef(row.id, row.slug, row.name, row.timezone, row.currency, row.suspended)
        elif (filled := await _fill_from_owner(ctx, tenant)) is not None:
            ref = filled
        else:
            raise TenantNotFound(f"No tenant '{tenant}'")
        payload = json.dumps({**asdict(ref), "id": str(ref.id)}).encode()
        await ctx.cache.set(key, payload, ctx.settings.cache_ttl_seconds)
        near.put(key, ref, mark)
        return ref

    return resolve
