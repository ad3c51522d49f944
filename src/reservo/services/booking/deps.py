"""Annotated dependencies of the booking service."""

from typing import Annotated

from fastapi import Depends, Header

from reservo.platform.deps import service_context
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


async def _availability(ctx: Context) -> AvailabilityService:
    return AvailabilityService(ctx)


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
