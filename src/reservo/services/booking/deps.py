"""Annotated dependencies of the booking service."""

from typing import Annotated

from fastapi import Depends

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.booking.service import BookingService


def _bookings(ctx: Annotated[ServiceContext, Depends(service_context("booking"))]) -> BookingService:
    return BookingService(ctx)


Bookings = Annotated[BookingService, Depends(_bookings)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("booking"))]
