"""Annotated dependencies of the payment service."""

from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import Depends, Header, Request

from reservo.platform.auth.deps import Anyone
from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.payment.lookup import BookingLookup, HttpBookingLookup
from reservo.services.payment.service import Caller, PaymentService
from reservo.services.payment.settings import PaymentSettings
from reservo.services.payment.webhooks import Webhooks

Context = Annotated[ServiceContext, Depends(service_context("payment"))]


def booking_lookup(request: Request) -> BookingLookup:
    """Booking in this process: ask it through this very app. Apart: at RESERVO_PAYMENT_BOOKING_URL."""
    url = PaymentSettings().booking_url
    if url is None and "booking" in request.app.state.runtime.contexts:
        return HttpBookingLookup("http://booking.internal", httpx.ASGITransport(app=request.app))
    return HttpBookingLookup(url or "http://127.0.0.1:8080")


def _payments(ctx: Context, request: Request) -> PaymentService:
    return PaymentService(ctx, booking_lookup(request))


def _webhooks(ctx: Context) -> Webhooks:
    return Webhooks(ctx)


def _caller(
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
