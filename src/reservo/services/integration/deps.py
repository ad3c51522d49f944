"""Annotated dependencies of the integration service."""

from typing import Annotated

from fastapi import Depends

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.integration.service import IntegrationService

Context = Annotated[ServiceContext, Depends(service_context("integration"))]


async def _integrations(ctx: Context) -> IntegrationService:
    return IntegrationService(ctx)


Integrations = Annotated[IntegrationService, Depends(_integrations)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("integration"))]
