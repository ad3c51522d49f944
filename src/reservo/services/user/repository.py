"""Statements on accounts, sessions, one-time tokens, tenants and memberships."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.auth.actor import Role
from reservo.platform.http.pagination import Keyset
from reservo.services.user.models import (
    Invitation,
    Membership,
    OAuthState,
    OneTimeToken,
    RefreshToken,
    SignInSession,
    SocialIdentity,
    Tenant,
    User,
)


class TenantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_slug(self, slug: str) -> Tenant | None:
        return await self._s.scalar(select(Tenant).where(Tenant.slug == slug))

    async def members(self, tenant_id: uuid.UUID) -> list[Membership]:
        stmt = select(Membership).where(Membership.tenant_id == tenant_id).order_by(Membership.created_at)
        return list((await self._s.scalars(stmt)).all())

    async def membership(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> Membership | None:
        return await self._s.scalar(
            select(Membership).where(Membership.tenant_id == tenant_id, Membership.user_id == user_id)
        )

    async def invitation_by_hash(self, tenant_id: uuid.UUID, token_hash: str) -> Invitation | None:
        return await self._s.scalar(
            select(Invitation).where(Invitation.tenant_id == tenant_id, Invitation.token_hash == token_hash)
        )

    async def invitations(self, tenant_id: uuid.UUID) -> list[Invitation]:
        stmt = select(Invitation).where(Invitation.tenant_id == tenant_id).order_by(Invitation.created_at)
        return list((await self._s.scalars(stmt)).all())

    async def by_id(self, tenant_id: uuid.UUID) -> Tenant | None:
        return await self._s.get(Tenant, tenant_id)

    async def owned_by(self, user_id: uuid.UUID) -> int:
        """How many tenants the user owns."""
        stmt = select(func.count()).select_from(Membership)
        owner = Membership.role == Role.owner
        return int(await self._s.scalar(stmt.where(Membership.user_id == user_id, owner)) or 0)

    async def owned_alone_by(self, user_id: uuid.UUID) -> bool:
        """Whether the user is the only owner of some tenant."""
        owner = Membership.role == Role.owner
        owned = select(Membership.tenant_id).where(Membership.user_id == user_id, owner)
        counts = await self._s.execute(
            select(Membership.tenant_id, func.count())
            .where(Membership.tenant_id.in_(owned), owner)
            .group_by(Membership.tenant_id)
        )
        return any(n == 1 for _, n in counts.all())


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_id(self, user_id: uuid.UUID) -> User | None:
        return await self._s.get(User, user_id)

    async def by_email(self, email: str) -> User | None:
        return await self._s.scalar(select(User).where(User.email == email.lower()))

    async def roles(self, user_id: uuid.UUID) -> dict[str, str]:
        stmt = (
            select(Tenant.slug, Membership.role)
            .join(Tenant, Tenant.id == Membership.tenant_id)
            .where(Membership.user_id == user_id)
            .order_by(Tenant.slug)
        )
        return {slug: role for slug, role in (await self._s.execute(stmt)).all()}

    async def providers(self, user_id: uuid.UUID) -> list[str]:
        stmt = select(SocialIdentity.provider).where(SocialIdentity.user_id == user_id)
        return sorted(set((await self._s.scalars(stmt)).all()))

    async def identity(self, provider: str, subject: str) -> SocialIdentity | None:
        return await self._s.scalar(
            select(SocialIdentity).where(
                SocialIdentity.provider == provider, SocialIdentity.subject == subject
            )
        )

    # -- sessions and refresh tokens ----------------------------------------------------------

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        return await self._s.scalar(select(RefreshToken).where(RefreshToken.token_hash == token_hash))

    async def sign_in_session(self, session_id: uuid.UUID) -> SignInSession | None:
        return await self._s.get(SignInSession, session_id)

    async def use_refresh_token(self, token_id: uuid.UUID, now: datetime) -> bool:
        """Mark a refresh token used; False when another request used it first (reuse)."""
        result = await self._s.execute(
            update(RefreshToken)
            .where(RefreshToken.id == token_id, RefreshToken.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def active_sessions(self, user_id: uuid.UUID) -> list[SignInSession]:
        stmt = (
            select(SignInSession)
            .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
            .order_by(SignInSession.last_used_at.desc())
            .limit(200)
        )
        return list((await self._s.scalars(stmt)).all())

    async def active_session_ids(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        stmt = select(SignInSession.id).where(
            SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None)
        )
        return list((await self._s.scalars(stmt)).all())

    async def revoke_sessions(
        self, now: datetime, reason: str, *, user_id: uuid.UUID, session_id: uuid.UUID | None = None
    ) -> int:
        stmt = update(SignInSession).where(
            SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None)
        )
        if session_id is not None:
            stmt = stmt.where(SignInSession.id == session_id)
        result = await self._s.execute(stmt.values(revoked_at=now, revoked_reason=reason))
        return int(result.rowcount)  # type: ignore[attr-defined]

    # -- one-time tokens ------------------------------------------------------------------------

    async def one_time_token(self, purpose: str, token_hash: str) -> OneTimeToken | None:
        return await self._s.scalar(
            select(OneTimeToken).where(OneTimeToken.purpose == purpose, OneTimeToken.token_hash == token_hash)
        )

    async def spend_links(self, user_id: uuid.UUID, purpose: str, now: datetime) -> int:
        """Every outstanding link of `purpose` for the user stops working (used now)."""
        result = await self._s.execute(
            update(OneTimeToken)
            .where(
                OneTimeToken.user_id == user_id,
                OneTimeToken.purpose == purpose,
                OneTimeToken.used_at.is_(None),
            )
            .values(used_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def use_one_time_token(self, token_id: uuid.UUID, now: datetime) -> bool:
        result = await self._s.execute(
            update(OneTimeToken)
            .where(OneTimeToken.id == token_id, OneTimeToken.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- erasure --------------------------------------------------------------------------------

    async def forget(self, user: User) -> None:
        """What the account holds beyond its row goes: links, social identities, memberships, the
        invitations to its address, and the devices its sessions were signed in from."""
        await self._s.execute(
            update(SignInSession).where(SignInSession.user_id == user.id).values(user_agent="")
        )
        await self._s.execute(delete(OneTimeToken).where(OneTimeToken.user_id == user.id))
        await self._s.execute(delete(SocialIdentity).where(SocialIdentity.user_id == user.id))
        await self._s.execute(delete(Membership).where(Membership.user_id == user.id))
        await self._s.execute(delete(Invitation).where(func.lower(Invitation.email) == user.email.lower()))


class Credentials:
    """Sign-in states and spent tokens, across accounts: the single-use OAuth state and the purge."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def consume_state(self, state_hash: str, provider: str, now: datetime) -> OAuthState | None:
        """Spend an unused, unexpired OAuth state (single use, even if the sign-in then fails)."""
        result = await self._s.execute(
            update(OAuthState)
            .where(
                OAuthState.state_hash == state_hash,
                OAuthState.provider == provider,
                OAuthState.used_at.is_(None),
                OAuthState.expires_at > now,
            )
            .values(used_at=now)
            .returning(OAuthState.id)
        )
        state_id = result.scalar_one_or_none()
        return None if state_id is None else await self._s.get(OAuthState, state_id)

    async def purge(self, tokens_before: datetime, states_before: datetime) -> int:
        """Delete refresh and one-time tokens expired before `tokens_before` and OAuth states expired
        before `states_before`; returns how many rows went."""
        removed = 0
        for stmt in (
            delete(RefreshToken).where(RefreshToken.expires_at < tokens_before),
            delete(OneTimeToken).where(OneTimeToken.expires_at < tokens_before),
            delete(OAuthState).where(OAuthState.expires_at < states_before),
        ):
            result = await self._s.execute(stmt)
            removed += int(result.rowcount)  # type: ignore[attr-defined]
        return removed


class Directory:
    """Tenants and accounts across the platform, for its administrators: searched, filtered and paged
    by (created_at, id)."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def tenants(
        self, *, limit: int, after: Keyset | None, q: str | None, suspended: bool | None
    ) -> list[Tenant]:
        stmt = _filtered(select(Tenant), q, (Tenant.slug, Tenant.name), Tenant.suspended_at, suspended)
        return list((await self._s.scalars(_keyset(stmt, Tenant, limit, after))).all())

    async def users(
        self, *, limit: int, after: Keyset | None, q: str | None, suspended: bool | None
    ) -> list[User]:
        stmt = _filtered(select(User), q, (User.email, User.name), User.suspended_at, suspended)
        return list((await self._s.scalars(_keyset(stmt, User, limit, after))).all())


def _filtered(
    stmt: Select[Any], q: str | None, searched: tuple[Any, ...], suspended_at: Any, suspended: bool | None
) -> Select[Any]:
    if q:
        stmt = stmt.where(or_(*(func.lower(c).contains(q.lower(), autoescape=True) for c in searched)))
    if suspended is not None:
        stmt = stmt.where(suspended_at.is_not(None) if suspended else suspended_at.is_(None))
    return stmt


def _keyset(stmt: Select[Any], model: Any, limit: int, after: Keyset | None) -> Select[Any]:
    stmt = stmt.order_by(model.created_at, model.id).limit(limit)
    if after is not None:
        stmt = stmt.where(
            (model.created_at > after.at) | ((model.created_at == after.at) & (model.id > after.id))
        )
    return stmt
