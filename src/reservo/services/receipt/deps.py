"""Annotated dependencies of the receipt service."""

from typing import Annotated

from fastapi import Depends, Header

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.receipt.service import ReceiptService

Context = Annotated[ServiceContext, Depends(service_context("receipt"))]


async def _receipts(ctx: Context) -> ReceiptService:
    return ReceiptService(ctx)


Receipts = Annotated[ReceiptService, Depends(_receipts)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("receipt"))]
BookingToken = Annotated[
    str | None,
    Header(alias="X-Booking-Token", max_length=200, description="a guest's booking credential"),
]
