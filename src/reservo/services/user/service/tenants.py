"""Tenants: create (caller becomes owner), read, update; staff invitations by email."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from reservo.contracts.events.user import (
    INVITATION_PURPOSE,
    InvitationCreated,
    MembershipChanged,
    TenantCreated,
    TenantUpdated,
)
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.links import link_token
from reservo.platform.auth.opaque import digest
from reservo.platform.auth.tokens import TokenIssuer
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantNotFound
from reservo.services.user.errors import (
    CurrencyLocked,
    InvitationForSomeoneElse,
    InvitationNotFound,
    LastOwner,
    MemberNotFound,
    SlugTaken,
    VerifyEmailFirst,
)
from reservo.services.user.models import Invitation, Membership, Tenant
from reservo.services.user.repository import TenantRepository, UserRepository
from reservo.services.user.schemas import TenantCreate, TenantUpdate
from reservo.services.user.settings import UserSettings


def event_data(tenant: Tenant) -> dict[str, Any]:
    return {
        "id": tenant.id,
        "slug": tenant.slug,
        "name": tenant.name,
        "timezone": tenant.timezone,
        "currency": tenant.currency,
        "branding": dict(tenant.branding or {}),
        "locale": tenant.locale,
        "address": tenant.address,
        "tax_id": tenant.tax_id,
        "suspended": tenant.suspended_at is not None,
    }


# An account whose email is not verified owns at most this many tenants (issue 9 item 12).
UNVERIFIED_TENANT_LIMIT = 1


class TenantService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def _may_create(self, session: Any, actor: Actor) -> None:
        if actor.is_admin:
            return
        user = await UserRepository(session).by_id(actor.user_id)
        if user is not None and user.email_verified_at is not None:
            return
        if await TenantRepository(session).owned_by(actor.user_id) >= UNVERIFIED_TENANT_LIMIT:
            raise VerifyEmailFirst(
                f"An unverified account owns at most {UNVERIFIED_TENANT_LIMIT} tenant"
                "; open the link we emailed"
            )

    async def create(self, actor: Actor, data: TenantCreate) -> Tenant:
        try:
            async with self._ctx.uow.transaction() as tx:
                if await TenantRepository(tx.session).by_slug(data.slug) is not None:
                    raise SlugTaken(f"'{data.slug}' is taken")
                await self._may_create(tx.session, actor)
                values = data.model_dump()
                values["branding"] = data.branding.model_dump(exclude_none=True)
                tenant = Tenant(**values)
                tx.session.add(tenant)
                await tx.session.flush()
                tx.session.add(
                    Membership(tenant_id=tenant.id, user_id=actor.user_id, email=actor.email, role=Role.owner)
                )
                tx.publish(TenantCreated(**event_data(tenant)), tenant_id=tenant.id)
                _membership_changed(tx, tenant.id, actor.user_id, actor.email, Role.owner, self._ctx)
        except IntegrityError as exc:  # a concurrent create took the slug between check and insert
            raise SlugTaken(f"'{data.slug}' is taken") from exc
        if self._ctx.revocations is not None:
            await self._ctx.revocations.restore_role(actor.user_id, data.slug)
        return tenant

    async def fresh_token(self, actor: Actor, issuer: TokenIssuer) -> str:
        """An access token like `actor`'s (same session) with the roles the memberships give now."""
        async with self._ctx.uow.read() as session:
            roles = await UserRepository(session).roles(actor.user_id)
        return issuer.mint(
            user_id=actor.user_id,
            email=actor.email,
            name=actor.name,
            tenants=roles,
            admin=actor.is_admin,
            session_id=actor.session_id,
        )

    async def get(self, slug: str) -> Tenant:
        async with self._ctx.uow.read() as session:
            tenant = await TenantRepository(session).by_slug(slug)
        if tenant is None:
            raise TenantNotFound(f"No tenant '{slug}'")
        return tenant

    async def update(self, slug: str, data: TenantUpdate) -> Tenant:
        async with self._ctx.uow.transaction() as tx:
            tenant = await TenantRepository(tx.session).by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            if data.currency is not None and data.currency != tenant.currency:
                # D9b-3: prices, holds, payments and receipts are all in this currency; without
                # exchange rates no conversion is right, so the currency never changes.
                raise CurrencyLocked(
                    f"'{slug}' sells in {tenant.currency}; create a new tenant for {data.currency}"
                )
            changes = data.model_dump(exclude_unset=True, exclude={"branding"})
            for field, value in changes.items():
                if value is not None:
                    setattr(tenant, field, value)
            if data.branding is not None:
                tenant.branding = data.branding.model_dump(exclude_none=True)
            await tx.session.flush()
            tx.publish(TenantUpdated(**event_data(tenant)), tenant_id=tenant.id)
        return tenant

    async def members(self, slug: str) -> list[Membership]:
        async with self._ctx.uow.read() as session:
            repo = TenantRepository(session)
            tenant = await repo.by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            return await repo.members(tenant.id)

    async def remove_member(self, slug: str, user_id: uuid.UUID) -> None:
        """Remove a membership; tokens already issued lose the role at once (platform revocations)."""
        async with self._ctx.uow.transaction() as tx:
            repo = TenantRepository(tx.session)
            tenant = await repo.by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            membership = await repo.membership(tenant.id, user_id)
            if membership is None:
                raise MemberNotFound()
            owners = [m for m in await repo.members(tenant.id) if m.role == Role.owner]
            if membership.role == Role.owner and len(owners) == 1:
                raise LastOwner()
            await tx.session.delete(membership)
            _membership_changed(tx, tenant.id, user_id, membership.email, None, self._ctx)
        if self._ctx.revocations is not None:  # tokens already issued lose the role at once
            await self._ctx.revocations.revoke_role(user_id, slug, self._ctx.clock.now())

    async def invitations(self, slug: str) -> list[Invitation]:
        async with self._ctx.uow.read() as session:
            repo = TenantRepository(session)
            tenant = await repo.by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            return await repo.invitations(tenant.id)

    async def invite(self, actor: Actor, slug: str, email: str) -> Invitation:
        """Invite `email` as staff; the token is derived from the invitation's id by the mailer (no event
        or response carries it)."""
        s = self._ctx.settings_of(UserSettings)
        now = self._ctx.clock.now()
        link_id = uuid.uuid4()
        raw = link_token(self._ctx.settings.secret_key.get_secret_value(), INVITATION_PURPOSE, link_id)
        async with self._ctx.uow.transaction() as tx:
            tenant = await TenantRepository(tx.session).by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            invitation = Invitation(
                id=link_id,
                tenant_id=tenant.id,
                email=email,
                role=Role.staff,
                token_hash=digest(raw),
                invited_by=actor.user_id,
                created_at=now,
                expires_at=now + timedelta(days=s.invitation_days),
            )
            tx.session.add(invitation)
            await tx.session.flush()
            tx.publish(
                InvitationCreated(
                    id=invitation.id,
                    tenant_id=tenant.id,
                    tenant_name=tenant.name,
                    email=email,
                    role=invitation.role,
                    invited_by=actor.name or actor.email,
                    link_id=link_id,
                    url=f"{self._ctx.settings.public_url.rstrip('/')}/invitations/accept?tenant={slug}",
                    expires_at=invitation.expires_at,
                ),
                tenant_id=tenant.id,
            )
        return invitation

    async def accept(self, actor: Actor, slug: str, raw: str) -> Membership:
        """The signed-in invitee becomes staff (an owner stays owner). Only for the invited address."""
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = TenantRepository(tx.session)
            tenant = await repo.by_slug(slug)
            invitation = None if tenant is None else await repo.invitation_by_hash(tenant.id, digest(raw))
            if (
                tenant is None
                or invitation is None
                or invitation.accepted_at is not None
                or invitation.expires_at <= now
            ):
                raise InvitationNotFound()
            if invitation.email.lower() != actor.email.lower():
                raise InvitationForSomeoneElse()
            invitation.accepted_at, invitation.accepted_by = now, actor.user_id
            membership = await repo.membership(tenant.id, actor.user_id)
            if membership is None:
                membership = Membership(
                    tenant_id=tenant.id, user_id=actor.user_id, email=actor.email, role=invitation.role
                )
                tx.session.add(membership)
                _membership_changed(tx, tenant.id, actor.user_id, actor.email, invitation.role, self._ctx)
            await tx.session.flush()
        if self._ctx.revocations is not None:
            await self._ctx.revocations.restore_role(actor.user_id, slug)
        return membership


def _membership_changed(
    tx: Any, tenant_id: uuid.UUID, user_id: uuid.UUID, email: str, role: str | None, ctx: ServiceContext
) -> None:
    """Tell who keeps a copy of a tenant's staff (notification: the new-booking note)."""
    event = MembershipChanged(
        tenant_id=tenant_id,
        user_id=user_id,
        email=email,
        role=None if role is None else str(role),
        changed_at=ctx.clock.now(),
    )
    tx.publish(event, tenant_id=tenant_id)
