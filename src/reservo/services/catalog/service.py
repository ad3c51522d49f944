"""Offering use cases; every change emits an event that feeds booking's read-model."""

from __future__ import annotations

import uuid

from reservo.contracts.events.catalog import MoneyPayload, OfferingCreated
from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.catalog.errors import OfferingNotFound
from reservo.services.catalog.models import Offering
from reservo.services.catalog.repository import OfferingRepository
from reservo.services.catalog.schemas import OfferingCreate


class OfferingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def create(self, tenant: TenantRef, data: OfferingCreate) -> Offering:
        async with self._ctx.uow.transaction() as tx:
            offering = OfferingRepository(tx.session, tenant_id=tenant.id).add(
                Offering(
                    id=uuid.uuid4(),
                    kind=data.kind,
                    name=data.name,
                    status=data.status,
                    price_amount=data.price.amount,
                    currency=data.price.currency,
                    capacity=data.capacity,
                )
            )
            tx.publish(
                OfferingCreated(
                    id=offering.id,
                    tenant_id=tenant.id,
                    kind=offering.kind,
                    name=offering.name,
                    status=offering.status,
                    price=MoneyPayload(amount=offering.price_amount, currency=offering.currency),
                    capacity=offering.capacity,
                ),
                tenant_id=tenant.id,
            )
        return offering

    async def get(self, tenant: TenantRef, offering_id: uuid.UUID) -> Offering:
        async with self._ctx.uow.read() as session:
            offering = await OfferingRepository(session, tenant_id=tenant.id).get(offering_id)
        if offering is None:
            raise OfferingNotFound(f"No offering {offering_id}")
        return offering

    async def page(self, tenant: TenantRef, page: PageParams) -> tuple[list[Offering], str | None]:
        async with self._ctx.uow.read() as session:
            rows = await OfferingRepository(session, tenant_id=tenant.id).page(page.limit + 1, page.cursor)
        items = rows[: page.limit]
        more = len(rows) > page.limit
        cursor = encode_cursor([items[-1].created_at.isoformat(), str(items[-1].id)]) if more else None
        return items, cursor
