"""Annotated dependencies of the user service."""

from typing import Annotated

from fastapi import Depends

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.services.user.service import TenantService


def _tenants(ctx: Annotated[ServiceContext, Depends(service_context("user"))]) -> TenantService:
    return TenantService(ctx)


Tenants = Annotated[TenantService, Depends(_tenants)]
