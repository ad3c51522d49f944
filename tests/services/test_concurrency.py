"""Zero overbooking: hundreds of concurrent HTTP requests race for a slot; the database arbitrates."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from reservo.platform.clock import ManualClock
from reservo.services.booking.lifecycle import expire_holds
from reservo.services.booking.models import Booking, CapacityCounter
from tests.conftest import Api, eventually
from tests.services.booking.factories import NOW, create_offering, event, resources, service

SLOT = "2026-06-02T07:00:00Z"  # 09:00 Berlin, the first slot of the day after NOW


@pytest.fixture
def app_services() -> Sequence[str]:
    return ["user", "catalog", "booking"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
def app_tenant() -> dict[str, Any] | None:
    return {"slug": "acme"}


async def _rush(api: Api, n: int, offering_id: str, start: str) -> Counter[tuple[int, str | None]]:
    responses = await asyncio.gather(
        *(
            api.book(offering_id, start=start, customer={"name": f"C{i}", "email": f"c{i}@example.com"})
            for i in range(n)
        )
    )
    return Counter((r.status_code, r.json().get("code")) for r in responses)


async def _count(api: Api, *where: Any) -> int:
    async with api.runtime.uow("booking").read() as session:
        return int(await session.scalar(select(func.count()).select_from(Booking).where(*where)) or 0)


@pytest.mark.slow
class TestCapacityRace:
    async def test_300_requests_for_one_appointment_slot_on_one_resource_book_it_once(self, api: Api) -> None:
        offering = await create_offering(api, service(resources=resources("Chair 1")))

        outcomes = await _rush(api, 300, offering["id"], SLOT)

        assert outcomes == {(201, None): 1, (409, "sold_out"): 299}
        assert await _count(api) == 1

    async def test_capacity_per_slot_bounds_a_shared_slot(self, api: Api) -> None:
        offering = await create_offering(api, service(capacity_per_slot=3))
        assert await _rush(api, 100, offering["id"], SLOT) == {(201, None): 3, (409, "sold_out"): 97}

    async def test_300_requests_for_an_event_session_of_50_seats_book_exactly_50(self, api: Api) -> None:
        offering = await create_offering(api, event(capacity=50))

        outcomes = await _rush(api, 300, offering["id"], offering["sessions"][0]["start"])

        assert outcomes == {(201, None): 50, (409, "sold_out"): 250}
        async with api.runtime.uow("booking").read() as session:
            taken = await session.scalar(select(CapacityCounter.taken))
        assert (await _count(api), taken) == (50, 50)

    async def test_overlapping_slots_on_one_resource_go_to_one_customer(self, api: Api) -> None:
        """Hour-long appointments every 30 minutes: 09:00-10:00 and 09:30-10:30 are different counter
        rows that overlap on the one stylist; only one of them may be taken."""
        offering = await create_offering(api, service(slot_interval_minutes=30, resources=resources("Kim")))

        responses = await asyncio.gather(
            *(api.book(offering["id"], start=SLOT) for _ in range(50)),
            *(api.book(offering["id"], start="2026-06-02T07:30:00Z") for _ in range(50)),
        )

        assert sorted(r.status_code for r in responses) == [201] + [409] * 99
        assert await _count(api) == 1

    async def test_buffers_keep_neighbouring_appointments_apart(self, api: Api) -> None:
        offering = await create_offering(
            api, service(buffer_after_minutes=30, slot_interval_minutes=30, resources=resources("Room"))
        )
        assert (await api.book(offering["id"], start=SLOT)).status_code == 201
        # 10:00 starts when the first ends, but inside its 30-minute buffer; 10:30 is free.
        assert (await api.book(offering["id"], start="2026-06-02T08:00:00Z")).json()["code"] == "sold_out"
        assert (await api.book(offering["id"], start="2026-06-02T08:30:00Z")).status_code == 201


@pytest.mark.slow
class TestExpiry:
    async def test_an_expired_hold_frees_its_seat_for_the_next_customer(self, api: Api) -> None:
        offering = await create_offering(api, event(capacity=1))
        start = offering["sessions"][0]["start"]
        first = await api.book(offering["id"], start=start)
        assert first.status_code == 201
        assert (await api.book(offering["id"], start=start)).json()["code"] == "sold_out"
        ctx = api.runtime.contexts["booking"]

        assert await expire_holds(ctx) == 0  # not yet: the hold runs 15 minutes
        api.runtime.clock.advance(timedelta(minutes=15, seconds=1))  # type: ignore[attr-defined]
        assert await expire_holds(ctx) == 1

        assert (await api.book(offering["id"], start=start)).status_code == 201
        held = await api.client.get(
            f"/api/v1/tenants/acme/bookings/{first.json()['id']}", headers=api.owner("acme")
        )
        assert held.json()["status"] == "expired"

    async def test_the_periodic_job_expires_holds_in_the_background(self, api: Api) -> None:
        offering = await create_offering(api, event(capacity=1))
        start = offering["sessions"][0]["start"]
        booking = (await api.book(offering["id"], start=start)).json()
        api.runtime.clock.advance(timedelta(minutes=16))  # type: ignore[attr-defined]
        api.runtime.contexts["booking"].wake("expire_holds")  # instead of waiting for its 15 s tick

        async def expired() -> bool:
            url = f"/api/v1/tenants/acme/bookings/{booking['id']}"
            return bool((await api.client.get(url, headers=api.owner("acme"))).json()["status"] == "expired")

        await eventually(expired)
        assert (await api.book(offering["id"], start=start)).status_code == 201

    async def test_concurrent_sweepers_release_each_hold_exactly_once(self, api: Api) -> None:
        offering = await create_offering(api, event(capacity=10))
        start = offering["sessions"][0]["start"]
        for _ in range(10):
            assert (await api.book(offering["id"], start=start)).status_code == 201
        api.runtime.clock.advance(timedelta(minutes=16))  # type: ignore[attr-defined]
        ctx = api.runtime.contexts["booking"]

        counts = await asyncio.gather(*(expire_holds(ctx) for _ in range(4)))

        assert sum(counts) == 10
        async with api.runtime.uow("booking").read() as session:
            taken = await session.scalar(select(CapacityCounter.taken))
        assert taken == 0
        assert await _count(api, Booking.status == "expired") == 10


class TestDatabaseGuards:
    # The exclusion constraint exists on PostgreSQL only (on SQLite the claim checks under the lock).
    @pytest.mark.postgres
    @pytest.mark.parametrize("backend", ["postgres"])
    async def test_postgres_rejects_overlapping_claims_on_a_resource_by_itself(self, api: Api) -> None:
        """The control: bypass the service and write two overlapping claims; the constraint refuses."""
        offering = await create_offering(api, service(resources=resources("Room")))
        await api.book(offering["id"], start=SLOT)
        await api.book(offering["id"], start="2026-06-02T08:00:00Z")
        with pytest.raises(IntegrityError):
            async with api.runtime.uow("booking").transaction() as tx:
                # Stretch the 09:00 appointment by 30 minutes into the 10:00 one.
                await tx.session.execute(
                    text(
                        "UPDATE capacity_counters SET span_end = span_end + interval '30 minutes' "
                        "WHERE starts_at = :start"
                    ),
                    {"start": NOW.replace(day=2, hour=7)},
                )
