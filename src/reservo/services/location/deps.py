"""Annotated dependencies of the location service."""

from typing import Annotated

from fastapi import Depends

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.location.service import LocationService


async def _locations(ctx: Annotated[ServiceContext, Depends(service_context("location"))]) -> LocationService:
    return LocationService(ctx)


Locations = Annotated[LocationService, Depends(_locations)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("location"))]
