"""Annotated dependencies of the payment service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from reservo.platform.auth.deps import Anyone
from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.payment.lookup import BookingLookup, OwnerBookingLookup
from reservo.services.payment.service import Caller, PaymentService
from reservo.services.payment.webhooks import Webhooks

Context = Annotated[ServiceContext, Depends(service_context("payment"))]


def booking_lookup(ctx: ServiceContext) -> BookingLookup:
    assert ctx.owners is not None, "the runtime gives every service context an owner client"
    return OwnerBookingLookup(ctx.owners)


async def _payments(ctx: Context) -> PaymentService:
    return PaymentService(ctx, booking_lookup(ctx))


async def _webhooks(ctx: Context) -> Webhooks:
    return Webhooks(ctx)


async def _caller(
    request: Request,
    actor: Anyone,
    token: Annotated[str | None, Header(alias="X-Booking-Token", max_length=200)] = None,
) -> Caller:
    forwarded = {k: v for k in ("authorization", "x-booking-token") if (v := request.headers.get(k))}
    return Caller(actor, token, forwarded)


Payments = Annotated[PaymentService, Depends(_payments)]
WebhookService = Annotated[Webhooks, Depends(_webhooks)]
CallerDep = Annotated[Caller, Depends(_caller)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("payment"))]
