"""Tenant use cases: create (caller becomes owner) and read."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from reservo.contracts.events.user import TenantCreated
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantNotFound
from reservo.services.user.errors import SlugTaken
from reservo.services.user.models import Membership, Tenant
from reservo.services.user.repository import TenantRepository
from reservo.services.user.schemas import TenantCreate


class TenantService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def create(self, actor: Actor, data: TenantCreate) -> Tenant:
        try:
            async with self._ctx.uow.transaction() as tx:
                if await TenantRepository(tx.session).by_slug(data.slug) is not None:
                    raise SlugTaken(f"'{data.slug}' is taken")
                tenant = Tenant(**data.model_dump())
                tx.session.add(tenant)
                await tx.session.flush()
                tx.session.add(
                    Membership(tenant_id=tenant.id, user_id=actor.user_id, email=actor.email, role=Role.owner)
                )
                tx.publish(
                    TenantCreated(id=tenant.id, **data.model_dump()),
                    tenant_id=tenant.id,
                )
        except IntegrityError as exc:  # a concurrent create took the slug between check and insert
            raise SlugTaken(f"'{data.slug}' is taken") from exc
        return tenant

    async def get(self, slug: str) -> Tenant:
        async with self._ctx.uow.read() as session:
            tenant = await TenantRepository(session).by_slug(slug)
        if tenant is None:
            raise TenantNotFound(f"No tenant '{slug}'")
        return tenant
