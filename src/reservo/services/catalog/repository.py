"""Tenant-scoped statements on offerings: every query starts from _scoped()."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.services.catalog.models import Offering


class OfferingRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    def _scoped(self) -> Select[Offering]:
        return select(Offering).where(Offering.tenant_id == self._tenant_id, Offering.deleted_at.is_(None))

    def add(self, offering: Offering) -> Offering:
        offering.tenant_id = self._tenant_id
        self._s.add(offering)
        return offering

    async def get(self, offering_id: uuid.UUID) -> Offering | None:
        return await self._s.scalar(self._scoped().where(Offering.id == offering_id))

    async def page(self, limit: int, after: list[Any] | None) -> list[Offering]:
        stmt = self._scoped().order_by(Offering.created_at, Offering.id).limit(limit)
        if after:
            created, last = datetime.fromisoformat(after[0]), uuid.UUID(after[1])
            stmt = stmt.where(
                or_(Offering.created_at > created, (Offering.created_at == created) & (Offering.id > last))
            )
        return list((await self._s.scalars(stmt)).all())
