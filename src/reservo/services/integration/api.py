"""HTTP routes of the integration service: TikTok settings and the delivery log, for staff."""

from __future__ import annotations

from fastapi import APIRouter, Response

from reservo.platform.auth.deps import TenantOwner, TenantStaff
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.http.problems import problem_responses
from reservo.platform.tenancy import TenantNotFound
from reservo.services.integration.deps import Integrations, Tenant
from reservo.services.integration.errors import AccessTokenRequired, TikTokNotConfigured
from reservo.services.integration.models import Delivery
from reservo.services.integration.schemas import (
    DeliveryRead,
    DeliveryStatus,
    TikTokSettingsIn,
    TikTokSettingsOut,
)

router = APIRouter(prefix="/api/v1/tenants/{tenant}/integrations/tiktok", tags=["integrations"])


def read(d: Delivery) -> DeliveryRead:
    return DeliveryRead(
        id=d.id,
        event=d.event,
        event_id=d.event_id,
        event_time=d.event_time,
        booking_id=d.booking_id,
        status=d.status,
        attempts=d.attempts,
        next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
        last_error=d.last_error,
        log=d.log,
        created_at=d.created_at,
        delivered_at=d.delivered_at,
    )


@router.get("", responses=problem_responses(TenantNotFound, TikTokNotConfigured))
async def get_tiktok(tenant: Tenant, _: TenantStaff, integrations: Integrations) -> TikTokSettingsOut:
    """The settings (never the token, only its last four characters) and the circuit breaker."""
    return await integrations.get_settings(tenant)


@router.put("", responses=problem_responses(TenantNotFound, AccessTokenRequired))
async def put_tiktok(
    tenant: Tenant, body: TikTokSettingsIn, _: TenantOwner, integrations: Integrations
) -> TikTokSettingsOut:
    """Pixel code, Events API access token (stored encrypted), test event code, on/off."""
    return await integrations.put_settings(tenant, body)


@router.delete("", status_code=204, responses=problem_responses(TenantNotFound, TikTokNotConfigured))
async def delete_tiktok(tenant: Tenant, _: TenantOwner, integrations: Integrations) -> Response:
    await integrations.delete_settings(tenant)
    return Response(status_code=204)


@router.get("/deliveries", responses=problem_responses(TenantNotFound))
async def list_deliveries(
    tenant: Tenant,
    _: TenantStaff,
    integrations: Integrations,
    page: PageQuery,
    status: DeliveryStatus | None = None,
) -> Page[DeliveryRead]:
    """The delivery log, newest first: each event, its attempts and TikTok's answers."""
    items, cursor = await integrations.deliveries(tenant, page, status)
    return Page[DeliveryRead](items=[read(d) for d in items], next_cursor=cursor)
