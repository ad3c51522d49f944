"""HTTP routes of the admin service: platform admins only (PlatformAdmin on every route)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from reservo.platform.auth.deps import PlatformAdmin
from reservo.platform.deps import service_context
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.service import ServiceContext
from reservo.services.admin.deadletters import all_dead_letters
from reservo.services.admin.schemas import AdminBookingRead, PlatformStats, ServiceDeadLetters
from reservo.services.admin.service import AdminService, BookingFilter

Context = Annotated[ServiceContext, Depends(service_context("admin"))]
Status = Literal["pending", "confirmed", "cancelled", "expired", "completed", "no_show"]
Slug = Annotated[str | None, Query(max_length=63, description="a tenant's slug")]
From = Annotated[date | None, Query(alias="from", description="booked on or after this day (UTC)")]
To = Annotated[date | None, Query(description="booked on or before this day (UTC)")]

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])


async def _filter(
    tenant: Slug = None, status: Status | None = None, frm: From = None, to: To = None
) -> BookingFilter:
    return BookingFilter(tenant, status, frm, to)


Filter = Annotated[BookingFilter, Depends(_filter)]


@router.get("/bookings")
async def list_bookings(
    _: PlatformAdmin, ctx: Context, where: Filter, page: PageQuery
) -> Page[AdminBookingRead]:
    """Bookings of every tenant, newest booked first (a read-model fed by booking events; no
    customer details: those stay with the tenant)."""
    items, cursor = await AdminService(ctx).bookings(where, page.limit, page.cursor)
    return Page[AdminBookingRead](items=items, next_cursor=cursor)


@router.get(
    "/bookings.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def export_bookings(_: PlatformAdmin, ctx: Context, where: Filter) -> StreamingResponse:
    """The same bookings as CSV (RFC 4180, UTF-8), streamed; the filters of the list apply."""
    return StreamingResponse(
        AdminService(ctx).csv_lines(where),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="bookings.csv"', "Cache-Control": "no-store"},
    )


@router.get("/stats")
async def platform_stats(_: PlatformAdmin, ctx: Context) -> PlatformStats:
    """Tenants, accounts, bookings by status and revenue by currency (succeeded minus refunded)."""
    return await AdminService(ctx).stats()


@router.get("/dead-letters")
async def dead_letters(
    request: Request,
    _: PlatformAdmin,
    ctx: Context,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ServiceDeadLetters]:
    """Open dead letters of every service, asked of each; replay one with
    POST /api/v1/admin/dead-letters/{service}/{id}/replay."""
    return await all_dead_letters(ctx, request.headers.get("authorization", ""), limit)
