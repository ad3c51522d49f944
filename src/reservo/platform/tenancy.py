"""Each tenant-scoped service keeps a replica of tenants (fed by user events) to resolve `{tenant}` slugs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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


async def on_tenant_changed(event: Envelope[TenantCreated], tx: Transaction, ctx: ServiceContext) -> None:
    table = add_tenant_table(ctx.uow.tables.outbox.metadata)
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


TENANT_HANDLERS = {"user.tenant.created": on_tenant_changed, "user.tenant.updated": on_tenant_changed}


def tenant_resolver(service: str) -> Any:
    """A dependency resolving the path's `{tenant}` slug in `service`'s own replica."""

    async def resolve(tenant: str, request: Request) -> TenantRef:
        ctx: ServiceContext = request.app.state.runtime.contexts[service]
        table = add_tenant_table(ctx.uow.tables.outbox.metadata)
        async with ctx.uow.read() as session:
            row = (await session.execute(select(table).where(table.c.slug == tenant))).one_or_none()
        if row is None:
            raise TenantNotFound(f"No tenant '{tenant}'")
        return TenantRef(row.id, row.slug, row.name, row.timezone, row.currency)

    return resolve
