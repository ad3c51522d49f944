"""Annotated dependencies of the analytics service."""

from typing import Annotated

from fastapi import Depends

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.analytics.service import AnalyticsService

Context = Annotated[ServiceContext, Depends(service_context("analytics"))]


async def _analytics(ctx: Context) -> AnalyticsService:
    return AnalyticsService(ctx)


Analytics = Annotated[AnalyticsService, Depends(_analytics)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("analytics"))]
