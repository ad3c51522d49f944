"""Tenants: create (caller becomes owner), read, update; staff invitations by email."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from reservo.contracts.events.user import InvitationCreated, TenantCreated, TenantUpdated
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.opaque import digest, new_secret
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantNotFound
from reservo.services.user.errors import (
    InvitationForSomeoneElse,
    InvitationNotFound,
    LastOwner,
    MemberNotFound,
    SlugTaken,
)
from reservo.services.user.models import Invitation, Membership, Tenant
from reservo.services.user.repository import TenantRepository
from reservo.services.user.schemas import TenantCreate, TenantUpdate


def _event_data(tenant: Tenant) -> dict[str, Any]:
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
    }


class TenantService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def create(self, actor: Actor, data: TenantCreate) -> Tenant:
        try:
            async with self._ctx.uow.transaction() as tx:
                if await TenantRepository(tx.session).by_slug(data.slug) is not None:
                    raise SlugTaken(f"'{data.slug}' is taken")
                values = data.model_dump()
                values["branding"] = data.branding.model_dump(exclude_none=True)
                tenant = Tenant(**values)
                tx.session.add(tenant)
                await tx.session.flush()
                tx.session.add(
                    Membership(tenant_id=tenant.id, user_id=actor.user_id, email=actor.email, role=Role.owner)
                )
                tx.publish(TenantCreated(**_event_data(tenant)), tenant_id=tenant.id)
        except IntegrityError as exc:  # a concurrent create took the slug between check and insert
            raise SlugTaken(f"'{data.slug}' is taken") from exc
        return tenant

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
            changes = data.model_dump(exclude_unset=True, exclude={"branding"})
            for field, value in changes.items():
                if value is not None:
                    setattr(tenant, field, value)
            if data.branding is not None:
                tenant.branding = data.branding.model_dump(exclude_none=True)
            await tx.session.flush()
            tx.publish(TenantUpdated(**_event_data(tenant)), tenant_id=tenant.id)
        return tenant

    async def members(self, slug: str) -> list[Membership]:
        async with self._ctx.uow.read() as session:
            repo = TenantRepository(session)
            tenant = await repo.by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            return await repo.members(tenant.id)

    async def remove_member(self, slug: str, user_id: uuid.UUID) -> None:
        """Remove a membership. Tokens already issued keep the role until they expire (<= 15 min)."""
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

    async def invitations(self, slug: str) -> list[Invitation]:
        async with self._ctx.uow.read() as session:
            repo = TenantRepository(session)
            tenant = await repo.by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            return await repo.invitations(tenant.id)

    async def invite(self, actor: Actor, slug: str, email: str) -> Invitation:
        """Invite `email` as staff; the raw token goes only into the email (event), never the response."""
        s = self._ctx.settings
        now = self._ctx.clock.now()
        raw = new_secret()
        async with self._ctx.uow.transaction() as tx:
            tenant = await TenantRepository(tx.session).by_slug(slug)
            if tenant is None:
                raise TenantNotFound(f"No tenant '{slug}'")
            invitation = Invitation(
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
                    token=raw,
                    url=f"{s.public_url.rstrip('/')}/invitations/accept?tenant={slug}&token={raw}",
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
            await tx.session.flush()
        return membership
