"""Tenant-scoped statements of the booking service: every query starts from the tenant."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.services.booking.models import Booking, CapacityCounter, OfferingReplica


class BookingRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    async def offering(self, offering_id: uuid.UUID) -> OfferingReplica | None:
        return await self._s.scalar(
            select(OfferingReplica).where(
                OfferingReplica.tenant_id == self._tenant_id, OfferingReplica.id == offering_id
            )
        )

    async def counter_of(self, offering_id: uuid.UUID) -> CapacityCounter | None:
        return await self._s.scalar(
            select(CapacityCounter).where(
                CapacityCounter.tenant_id == self._tenant_id, CapacityCounter.offering_id == offering_id
            )
        )

    async def claim(self, counter_id: uuid.UUID, n: int) -> bool:
        """Take n units if they are free, atomically: the UPDATE itself is the lock (no read-then-write)."""
        result = await self._s.execute(
            update(CapacityCounter)
            .where(
                CapacityCounter.id == counter_id,
                CapacityCounter.tenant_id == self._tenant_id,
                CapacityCounter.taken + n <= CapacityCounter.capacity,
            )
            .values(taken=CapacityCounter.taken + n)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def add(self, booking: Booking) -> Booking:
        booking.tenant_id = self._tenant_id
        self._s.add(booking)
        return booking

    async def get(self, booking_id: uuid.UUID) -> Booking | None:
        return await self._s.scalar(
            select(Booking).where(Booking.tenant_id == self._tenant_id, Booking.id == booking_id)
        )
