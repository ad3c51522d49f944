"""Statements on tenants and memberships."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.services.user.models import Tenant


class TenantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def by_slug(self, slug: str) -> Tenant | None:
        return await self._s.scalar(select(Tenant).where(Tenant.slug == slug))
