"""Platform admin routes the user service owns (tenants and accounts), and the account holder's own
profile and deletion (issue 14). Admin routes declare PlatformAdmin: tenant owners and customers get 403."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from reservo.platform.auth.deps import PlatformAdmin, SignedIn
from reservo.platform.deps import service_context
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.http.problems import problem_responses
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantNotFound
from reservo.services.user.deps import no_store
from reservo.services.user.errors import AdminSelfSuspend, LastOwner, UserNotFoundAdmin
from reservo.services.user.schemas import (
    AccountDelete,
    AdminTenantRead,
    AdminUserRead,
    ProfileUpdate,
    UserRead,
)
from reservo.services.user.service.platform import PlatformService


async def _platform(ctx: Annotated[ServiceContext, Depends(service_context("user"))]) -> PlatformService:
    return PlatformService(ctx)


Platform = Annotated[PlatformService, Depends(_platform)]
Search = Annotated[str | None, Query(max_length=200, description="part of the slug/name or email/name")]

admin = APIRouter(prefix="/api/v1/admin", tags=["admin"])
profile = APIRouter(prefix="/api/v1", tags=["auth"], dependencies=[Depends(no_store)])


@admin.get("/tenants")
async def list_tenants(
    _: PlatformAdmin, platform: Platform, page: PageQuery, q: Search = None, suspended: bool | None = None
) -> Page[AdminTenantRead]:
    """Every tenant of the platform, oldest first; `q` searches slug and name."""
    items, cursor = await platform.tenants(page, q, suspended)
    return Page[AdminTenantRead](items=items, next_cursor=cursor)


@admin.post("/tenants/{tenant_id}/suspend", responses=problem_responses(TenantNotFound))
async def suspend_tenant(tenant_id: uuid.UUID, _: PlatformAdmin, platform: Platform) -> AdminTenantRead:
    """Storefront, offering reads and new bookings answer 403 tenant_suspended; bookings are kept and
    the tenant's staff still see them."""
    return await platform.set_tenant_suspended(tenant_id, True)


@admin.post("/tenants/{tenant_id}/restore", responses=problem_responses(TenantNotFound))
async def restore_tenant(tenant_id: uuid.UUID, _: PlatformAdmin, platform: Platform) -> AdminTenantRead:
    return await platform.set_tenant_suspended(tenant_id, False)


@admin.get("/users")
async def list_users(
    _: PlatformAdmin, platform: Platform, page: PageQuery, q: Search = None, suspended: bool | None = None
) -> Page[AdminUserRead]:
    """Every account, oldest first; `q` searches email and name."""
    items, cursor = await platform.users(page, q, suspended)
    return Page[AdminUserRead](items=items, next_cursor=cursor)


@admin.post("/users/{user_id}/suspend", responses=problem_responses(UserNotFoundAdmin, AdminSelfSuspend))
async def suspend_user(user_id: uuid.UUID, actor: PlatformAdmin, platform: Platform) -> AdminUserRead:
    """The account cannot sign in or refresh (403 account_suspended); its sessions end at once."""
    return await platform.set_user_suspended(actor, user_id, True)


@admin.post("/users/{user_id}/restore", responses=problem_responses(UserNotFoundAdmin, AdminSelfSuspend))
async def restore_user(user_id: uuid.UUID, actor: PlatformAdmin, platform: Platform) -> AdminUserRead:
    return await platform.set_user_suspended(actor, user_id, False)


@profile.patch("/users/me", responses=problem_responses(UserNotFoundAdmin))
async def update_profile(body: ProfileUpdate, actor: SignedIn, platform: Platform) -> UserRead:
    """Change name, locale (e.g. "de") or phone (E.164); `null` clears locale or phone."""
    return await platform.update_profile(actor, body)


@profile.delete(
    "/users/me",
    status_code=204,
    response_class=Response,
    responses=problem_responses(UserNotFoundAdmin, LastOwner),
)
async def delete_account(body: AccountDelete, actor: SignedIn, platform: Platform) -> Response:
    """Delete the account: it can no longer sign in, and its personal data is erased or anonymised
    in every service (bookings and receipts keep amounts, dates and numbers; the law asks that)."""
    await platform.erase(actor)
    return Response(status_code=204)
