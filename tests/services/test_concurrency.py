"""Zero overbooking: concurrent requests race for the last seats; the database arbitrates."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from reservo.services.booking.models import Booking, CapacityCounter
from tests.conftest import Api

pytestmark = pytest.mark.skip(reason="booking adapts to the new catalog contract on branch issue4")


@pytest.mark.slow
class TestCapacityRace:
    async def test_200_concurrent_bookings_for_20_seats_leave_exactly_20(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", capacity=20)

        responses = await asyncio.gather(*(api.book(offering["id"]) for _ in range(200)))

        outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
        assert outcomes == {(201, None): 20, (409, "sold_out"): 180}
        async with api.runtime.uow("booking").read() as session:
            booked = await session.scalar(select(func.count()).select_from(Booking))
            taken = await session.scalar(select(CapacityCounter.taken))
        assert (booked, taken) == (20, 20)
