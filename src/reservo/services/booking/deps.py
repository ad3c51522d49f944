"""Annotated dependencies of the booking service."""

from typing import Annotated

from fastapi import Depends, Header, Request

from reservo.platform.deps import context_of, service_context
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef, tenant_resolver
from reservo.services.booking.availability import AvailabilityService
from reservo.services.booking.lifecycle import BookingLifecycle
from reservo.services.booking.queries import BookingQueries
from reservo.services.booking.service import BookingService

Context = Annotated[ServiceContext, Depends(service_context("booking"))]


async def _bookings(ctx: Context) -> BookingService:
    return BookingService(ctx)


async def _lifecycle(ctx: Context) -> BookingLifecycle:
    return BookingLifecycle(ctx)


async def _availability(request: Request) -> AvailabilityService:
    # From the request, not through Context: one dependency less to solve on the hottest read (D15-65).
    return AvailabilityService(context_of(request, "booking"))


async def _queries(ctx: Context) -> BookingQueries:
    return BookingQueries(ctx)


async def _access_token(
    header: Annotated[
        str | None,
        Header(alias="X-Booking-Token", max_length=200, description="a guest's booking token"),
    ] = None,
) -> str | None:
    # Only as a header: a token in the query string would land in every server's access log.
    return header


Bookings = Annotated[BookingService, Depends(_bookings)]
Lifecycle = Annotated[BookingLifecycle, Depends(_lifecycle)]
Availability = Annotated[AvailabilityService, Depends(_availability)]
Queries = Annotated[BookingQueries, Depends(_queries)]
AccessToken = Annotated[str | None, Depends(_access_token)]
Tenant = Annotated[TenantRef, Depends(tenant_resolver("booking"))]
