"""HTTP routes of the catalog service."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from reservo.platform.auth.deps import Anyone, TenantStaff
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.http.problems import problem_responses
from reservo.platform.schemas import Money
from reservo.platform.tenancy import TenantNotFound
from reservo.services.catalog.deps import Offerings, Tenant
from reservo.services.catalog.errors import OfferingNotFound
from reservo.services.catalog.models import Offering
from reservo.services.catalog.schemas import OfferingCreate, OfferingRead

router = APIRouter(prefix="/api/v1/tenants/{tenant}", tags=["offerings"])


def _read(o: Offering) -> OfferingRead:
    return OfferingRead.model_validate(
        {**o.__dict__, "price": Money(amount=o.price_amount, currency=o.currency)}
    )


@router.post("/offerings", status_code=201, responses=problem_responses(TenantNotFound))
async def create_offering(
    body: OfferingCreate, tenant: Tenant, _: TenantStaff, offerings: Offerings
) -> OfferingRead:
    return _read(await offerings.create(tenant, body))


@router.get("/offerings", responses=problem_responses(TenantNotFound))
async def list_offerings(
    tenant: Tenant, _: Anyone, page: PageQuery, offerings: Offerings
) -> Page[OfferingRead]:
    items, cursor = await offerings.page(tenant, page)
    return Page[OfferingRead](items=[_read(o) for o in items], next_cursor=cursor)


@router.get("/offerings/{offering_id}", responses=problem_responses(TenantNotFound, OfferingNotFound))
async def get_offering(
    tenant: Tenant, offering_id: uuid.UUID, _: Anyone, offerings: Offerings
) -> OfferingRead:
    return _read(await offerings.get(tenant, offering_id))
