"""HTTP routes of the analytics service: the public collect endpoint and staff reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request

from reservo.platform.auth.deps import Anyone, TenantOwner, TenantStaff
from reservo.platform.http.problems import RateLimited, problem_responses
from reservo.platform.tenancy import TenantNotFound
from reservo.services.analytics.deps import Analytics, Tenant
from reservo.services.analytics.errors import CollectInvalid, InvalidDateRange
from reservo.services.analytics.schemas import (
    AnalyticsSettingsIn,
    AnalyticsSettingsOut,
    CollectIn,
    CollectOut,
    FunnelOut,
    OccupancyOut,
    RevenueOut,
    TopOfferingsOut,
)

router = APIRouter(prefix="/api/v1/tenants/{tenant}/analytics", tags=["analytics"])

From = Annotated[date | None, Query(alias="from", description="first local day (tenant's time zone)")]
To = Annotated[date | None, Query(alias="to", description="last local day, inclusive")]
REPORT = problem_responses(TenantNotFound, InvalidDateRange)


@router.post(
    "/collect", status_code=202, responses=problem_responses(TenantNotFound, CollectInvalid, RateLimited)
)
async def collect(
    tenant: Tenant, body: CollectIn, request: Request, actor: Anyone, analytics: Analytics
) -> CollectOut:
    """A storefront event (page view, view content, initiate checkout). Counted only with analytics
    consent; the click id, IP and user agent are kept and forwarded only with marketing consent.
    Answers the `event_id` the browser pixel should use for the same event."""
    ip = request.client.host if request.client else "unknown"
    return await analytics.collect(tenant, body, actor, ip, request.headers.get("user-agent"))


@router.get("/settings", responses=problem_responses(TenantNotFound))
async def get_settings(tenant: Tenant, _: TenantStaff, analytics: Analytics) -> AnalyticsSettingsOut:
    return await analytics.get_settings(tenant)


@router.put("/settings", responses=problem_responses(TenantNotFound))
async def put_settings(
    tenant: Tenant, body: AnalyticsSettingsIn, _: TenantOwner, analytics: Analytics
) -> AnalyticsSettingsOut:
    """Retention of raw events and whether consenting visitors' IP and user agent are kept."""
    return await analytics.put_settings(tenant, body)


@router.get("/funnel", responses=REPORT)
async def funnel(
    tenant: Tenant, _: TenantStaff, analytics: Analytics, start: From = None, end: To = None
) -> FunnelOut:
    """Views of offerings → checkouts → paid, with page views and bookings, over local days."""
    return await analytics.funnel(tenant, analytics.range(tenant, start, end))


@router.get("/revenue", responses=REPORT)
async def revenue(
    tenant: Tenant, _: TenantStaff, analytics: Analytics, start: From = None, end: To = None
) -> RevenueOut:
    """Captured, refunded and net revenue per currency (minor units), in total and per local day."""
    return await analytics.revenue(tenant, analytics.range(tenant, start, end))


@router.get("/top-offerings", responses=REPORT)
async def top_offerings(
    tenant: Tenant,
    _: TenantStaff,
    analytics: Analytics,
    start: From = None,
    end: To = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> TopOfferingsOut:
    return await analytics.top_offerings(tenant, analytics.range(tenant, start, end), limit)


@router.get("/occupancy", responses=REPORT)
async def occupancy(
    tenant: Tenant, _: TenantStaff, analytics: Analytics, start: From = None, end: To = None
) -> OccupancyOut:
    """Confirmed units per local day their session or slot starts, and how many were cancelled."""
    return await analytics.occupancy(tenant, analytics.range(tenant, start, end))
