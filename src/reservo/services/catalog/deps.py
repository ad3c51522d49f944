"""Annotated dependencies of the catalog service."""

from typing import Annotated

from fastapi import Depends

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.catalog.service import OfferingService


async def _offerings(ctx: Annotated[ServiceContext, Depends(service_context("catalog"))]) -> OfferingService:
    return OfferingService(ctx)


Offerings = Annotated[OfferingService, Depends(_offerings)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("catalog"))]
