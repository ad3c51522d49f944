"""Platform administration in the user service (issue 14): tenants and accounts across the platform,
suspension, and what an account holder does to their own account (profile, deletion)."""

from __future__ import annotations

import uuid
from typing import TypeVar

from reservo.contracts.events.user import TenantUpdated, UserErased
from reservo.platform.auth.actor import Actor
from reservo.platform.erasure import erased_email, scrub_event_tables
from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantNotFound
from reservo.services.user.errors import AdminSelfSuspend, LastOwner, UserNotFoundAdmin
from reservo.services.user.models import Tenant, User
from reservo.services.user.repository import Directory, TenantRepository, UserRepository
from reservo.services.user.schemas import AdminTenantRead, AdminUserRead, ProfileUpdate, UserRead
from reservo.services.user.service.sessions import user_read
from reservo.services.user.service.tenants import event_data

T = TypeVar("T", Tenant, User)


def _next_cursor(rows: list[T], limit: int) -> str | None:
    """The cursor after the page's last row when the repository found one row more than the page."""
    return encode_cursor(rows[limit - 1].created_at, rows[limit - 1].id) if len(rows) > limit else None


def _tenant_read(t: Tenant) -> AdminTenantRead:
    return AdminTenantRead(
        id=t.id,
        slug=t.slug,
        name=t.name,
        currency=t.currency,
        created_at=t.created_at,
        suspended=t.suspended_at is not None,
        suspended_at=t.suspended_at,
    )


def _user_read(u: User) -> AdminUserRead:
    return AdminUserRead(
        id=u.id,
        email=u.email,
        name=u.name,
        email_verified=u.email_verified_at is not None,
        is_admin=u.is_admin,
        created_at=u.created_at,
        suspended=u.suspended_at is not None,
        suspended_at=u.suspended_at,
        erased=u.erased_at is not None,
    )


class PlatformService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def tenants(
        self, page: PageParams, q: str | None, suspended: bool | None
    ) -> tuple[list[AdminTenantRead], str | None]:
        async with self._ctx.uow.read() as session:
            rows = await Directory(session).tenants(
                limit=page.limit + 1, after=page.cursor, q=q, suspended=suspended
            )
        cursor = _next_cursor(rows, page.limit)
        return [_tenant_read(t) for t in rows[: page.limit]], cursor

    async def users(
        self, page: PageParams, q: str | None, suspended: bool | None
    ) -> tuple[list[AdminUserRead], str | None]:
        async with self._ctx.uow.read() as session:
            rows = await Directory(session).users(
                limit=page.limit + 1, after=page.cursor, q=q, suspended=suspended
            )
        cursor = _next_cursor(rows, page.limit)
        return [_user_read(u) for u in rows[: page.limit]], cursor

    async def set_tenant_suspended(self, tenant_id: uuid.UUID, suspended: bool) -> AdminTenantRead:
        """Suspend or restore; every service learns it from user.tenant.updated (`suspended`)."""
        async with self._ctx.uow.transaction() as tx:
            tenant = await TenantRepository(tx.session).by_id(tenant_id)
            if tenant is None:
                raise TenantNotFound(f"No tenant {tenant_id}")
            if (tenant.suspended_at is not None) != suspended:
                tenant.suspended_at = self._ctx.clock.now() if suspended else None
                await tx.session.flush()
                tx.publish(TenantUpdated(**event_data(tenant)), tenant_id=tenant.id)
            return _tenant_read(tenant)

    async def set_user_suspended(self, admin: Actor, user_id: uuid.UUID, suspended: bool) -> AdminUserRead:
        """A suspended account cannot sign in or refresh; its sessions end at once everywhere."""
        if user_id == admin.user_id:
            raise AdminSelfSuspend()
        now = self._ctx.clock.now()
        ended: list[uuid.UUID] = []
        async with self._ctx.uow.transaction() as tx:
            repo = UserRepository(tx.session)
            user = await repo.by_id(user_id)
            if user is None or user.erased_at is not None:
                raise UserNotFoundAdmin(f"No user {user_id}")
            if suspended and user.suspended_at is None:
                user.suspended_at = now
                ended = await repo.active_session_ids(user.id)
                await repo.revoke_sessions(now, "suspended", user_id=user.id)
            elif not suspended:
                user.suspended_at = None
            read = _user_read(user)
        if ended and self._ctx.revocations is not None:
            await self._ctx.revocations.revoke_sessions(ended)
        return read

    # -- the account holder ---------------------------------------------------------------------

    async def update_profile(self, actor: Actor, data: ProfileUpdate) -> UserRead:
        async with self._ctx.uow.transaction() as tx:
            repo = UserRepository(tx.session)
            user = await repo.by_id(actor.user_id)
            if user is None or user.erased_at is not None:
                raise UserNotFoundAdmin("No account behind this token")
            changes = data.model_dump(exclude_unset=True)
            if changes.get("name") is not None:
                user.name = changes["name"]
            for field in ("locale", "phone"):
                if field in changes:
                    setattr(user, field, changes[field])
            await tx.session.flush()
            return await user_read(repo, user)

    async def erase(self, actor: Actor) -> None:
        """Delete the account: personal data leaves this service now and every other one through
        `user.erased`. The row stays as a tombstone (other services hold its id); sign-in ends."""
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = UserRepository(tx.session)
            user = await repo.by_id(actor.user_id)
            if user is None or user.erased_at is not None:
                raise UserNotFoundAdmin("No account behind this token")
            if await TenantRepository(tx.session).owned_alone_by(user.id):
                raise LastOwner("You are the only owner of a business; hand it to another owner first")
            email, name, phone = user.email, user.name, user.phone
            ended = await repo.active_session_ids(user.id)
            await repo.revoke_sessions(now, "deleted", user_id=user.id)
            await repo.forget(user)
            user.email = erased_email(user.id)
            user.name = ""
            user.phone = None
            user.locale = None
            user.password_hash = None
            user.email_verified_at = None
            user.erased_at = now
            await scrub_event_tables(tx, self._ctx.uow.tables, [email, name, phone or ""])
            tx.publish(UserErased(user_id=user.id, email=email), tenant_id=None)
        if ended and self._ctx.revocations is not None:
            await self._ctx.revocations.revoke_sessions(ended)
