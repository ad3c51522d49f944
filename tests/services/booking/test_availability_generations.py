"""Availability keeps the claims it read while the generations of the offering and its resources stand
still (generations.py, D15-66): every write that changes what it shows must move them, so the very
next answer shows the booking, the cancellation, the expiry or the new offering version.

The kept claims are otherwise read again after `claims_max_age_seconds`; these tests set it to an
hour, so a write that forgot to move the generations fails them instead of hiding behind that age.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest

from reservo.platform.config import Settings
from reservo.platform.service import ServiceContext
from reservo.services.booking import generations
from reservo.services.booking.lifecycle import expire_holds
from reservo.services.booking.repository import BookingRepository, HotAvailability
from tests.conftest import Api
from tests.services.booking.factories import create_offering, resources, service, update_offering, weekly
from tests.support.problems import assert_problem

DAY = "2026-06-02"
NINE, TEN = "2026-06-02T07:00:00Z", "2026-06-02T08:00:00Z"  # 09:00 and 10:00 in Berlin


@pytest.fixture
def app_service_settings() -> dict[str, Any]:
    return {"booking": {"claims_max_age_seconds": 3600}}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts availability's claim reads (one statement each)."""
    calls: list[int] = []
    for kind in (BookingRepository, HotAvailability):  # a session's statement, or asyncpg's

        def counted(real: Any) -> Any:
            async def read(self: Any, *args: Any) -> Any:
                calls.append(1)
                return await real(self, *args)

            return read

        monkeypatch.setattr(kind, "head_with_claims", counted(kind.head_with_claims))
    return calls


async def _remaining(api: Api, offering: dict[str, Any]) -> list[int]:
    response = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{offering['id']}/availability", params={"from": DAY, "to": DAY}
    )
    assert response.status_code == 200, response.text
    assert response.headers["server-timing"].startswith("app;dur=")  # the whole route (D15-65)
    return [s["remaining"] for s in response.json()["slots"]]


async def _offering(api: Api) -> dict[str, Any]:
    offering = await create_offering(
        api, service(resources=resources("Kim"), schedule=weekly(time(9), time(11)))
    )
    assert await _remaining(api, offering) == [1, 1]  # first sight: the replica, the grid
    assert await _remaining(api, offering) == [1, 1]  # claims read and kept
    return offering


async def test_answers_between_writes_read_nothing(api: Api, reads: list[int]) -> None:
    offering = await _offering(api)
    before = len(reads)
    for _ in range(3):
        assert await _remaining(api, offering) == [1, 1]
    assert len(reads) == before  # no statement at all while nothing was written
    booked = await api.book(offering["id"], start=NINE)
    assert booked.status_code == 201, booked.text
    assert await _remaining(api, offering) == [0, 1]
    assert len(reads) == before + 1


async def test_a_cancelled_hold_frees_its_slot_in_the_next_answer(api: Api) -> None:
    offering = await _offering(api)
    booked = (await api.book(offering["id"], start=NINE)).json()
    assert await _remaining(api, offering) == [0, 1]
    cancelled = await api.client.post(
        f"/api/v1/tenants/acme/bookings/{booked['id']}/cancel",
        headers={"X-Booking-Token": booked["access_token"]},
    )
    assert cancelled.status_code == 200, cancelled.text
    assert await _remaining(api, offering) == [1, 1]


async def test_an_expired_hold_frees_its_slot_in_the_next_answer(api: Api) -> None:
    offering = await _offering(api)
    assert (await api.book(offering["id"], start=TEN)).status_code == 201
    assert await _remaining(api, offering) == [1, 0]
    api.runtime.clock.advance(timedelta(minutes=20))  # type: ignore[attr-defined]
    assert await expire_holds(api.runtime.contexts["booking"]) == 1
    assert await _remaining(api, offering) == [1, 1]


async def test_a_new_offering_version_shows_in_the_next_answer(api: Api) -> None:
    offering = await _offering(api)
    updated = await update_offering(api, offering, capacity_per_slot=3)
    assert await _remaining(api, offering) == [3, 3]
    await update_offering(api, updated, status="draft")
    response = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{offering['id']}/availability", params={"from": DAY, "to": DAY}
    )
    assert_problem(response, 404, "offering_not_found")


async def test_without_shared_generations_every_answer_reads(
    api: Api, reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The distributed shape (writers in other pods): no generations, the claims are read each time."""
    monkeypatch.setattr(generations, "of", lambda ctx: None)
    offering = await _offering(api)
    before = len(reads)
    assert await _remaining(api, offering) == [1, 1]
    assert await _remaining(api, offering) == [1, 1]
    assert len(reads) == before + 2


def test_generations_are_shared_through_the_data_directory(tmp_path: Path) -> None:
    """Two mappings of one file, as two processes of one `reservo serve` have them."""
    one = generations.Generations(tmp_path / generations.FILE)
    two = generations.Generations(tmp_path / generations.FILE)
    a, b = uuid.uuid4(), uuid.uuid4()
    before = two.stamp([a, b])
    one.bump([a])
    after = two.stamp([a, b])
    assert after != before and after[1] == before[1]
    one.bump([a, a])  # a key moved twice in one write moves once
    assert two.stamp([a])[0] == after[0] + 1


def _context(folder: Path, bus: str) -> ServiceContext:
    settings = Settings(data_dir=folder, bus=bus)  # type: ignore[arg-type]
    return ServiceContext("booking", None, None, settings, None, None)  # type: ignore[arg-type]


def test_the_distributed_shape_has_no_generations(tmp_path: Path) -> None:
    assert generations.of(_context(tmp_path, "kafka")) is None
    assert generations.of(_context(tmp_path, "inprocess")) is not None


def test_a_data_directory_that_cannot_hold_the_file_means_reading_every_time(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the data directory should be")
    assert generations.of(_context(tmp_path / "taken" / "data", "inprocess")) is None


async def test_every_booking_shows_in_the_answer_right_after_its_201_while_others_read(api: Api) -> None:
    """Bookings, cancellations and reads interleave (the reads await their statement while writes
    commit): whatever answered 2xx is in the next answer of whoever asks."""
    offering = await create_offering(
        api, service(resources=resources("Kim"), schedule=weekly(time(9), time(17)))
    )
    starts = [s["start"] for s in (await _answer(api, offering))["slots"]]
    assert len(starts) == 8
    stop = asyncio.Event()

    async def reader() -> None:
        while not stop.is_set():
            await _answer(api, offering)
            await asyncio.sleep(0)  # an answer from memory never waits: let the others run

    async def customer(start: str) -> None:
        booked = await api.book(offering["id"], start=start)
        assert booked.status_code == 201, booked.text
        assert _left(await _answer(api, offering), start) == 0
        cancelled = await api.client.post(
            f"/api/v1/tenants/acme/bookings/{booked.json()['id']}/cancel",
            headers={"X-Booking-Token": booked.json()["access_token"]},
        )
        assert cancelled.status_code == 200, cancelled.text
        assert _left(await _answer(api, offering), start) == 1

    readers = [asyncio.create_task(reader()) for _ in range(3)]
    try:
        for _ in range(3):
            await asyncio.gather(*(customer(start) for start in starts))
    finally:
        stop.set()
        await asyncio.gather(*readers)


async def _answer(api: Api, offering: dict[str, Any]) -> dict[str, Any]:
    response = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{offering['id']}/availability", params={"from": DAY, "to": DAY}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def _left(answer: dict[str, Any], start: str) -> int:
    (slot,) = [s for s in answer["slots"] if s["start"] == start]
    return int(slot["remaining"])


async def test_a_read_overtaken_by_a_booking_is_not_kept_as_current(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read whose statement ran before a booking committed, and which finishes after the booking
    answered 201, must not be taken for current by the next request."""
    offering = await _offering(api)
    assert (await api.book(offering["id"], start=NINE)).status_code == 201  # claims moved: next reads
    inside, go = asyncio.Event(), asyncio.Event()
    for kind in (BookingRepository, HotAvailability):

        def paused(real: Any) -> Any:
            async def read(self: Any, *args: Any) -> Any:
                found = await real(self, *args)
                if not go.is_set():
                    inside.set()
                    await go.wait()  # the statement ran; the booking below commits meanwhile
                return found

            return read

        monkeypatch.setattr(kind, "head_with_claims", paused(kind.head_with_claims))
    slow = asyncio.create_task(_remaining(api, offering))
    await inside.wait()
    assert (await api.book(offering["id"], start=TEN)).status_code == 201
    go.set()
    assert await slow == [0, 1]  # what its statement saw
    assert await _remaining(api, offering) == [0, 0]
