"""Availability's cached grid (availability.py): the same answer as computing every slot afresh, and a
booking made through another API process shows in the very next answer (read-your-writes)."""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections import OrderedDict
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from reservo.contracts.events.catalog import SchedulePayload, WeeklyRulePayload
from reservo.services.booking import availability
from reservo.services.booking.availability import Grid, _Claims, _slot_json
from reservo.services.booking.schemas import AvailabilityRead
from reservo.services.booking.slots import (
    WEEKDAYS,
    Claim,
    Resource,
    ServiceRules,
    Span,
    bookable_bounds,
    service_slots,
)
from tests.conftest import Api
from tests.services.booking.factories import create_offering, resources, service, weekly

OFFERING, OTHER = uuid.uuid4(), uuid.uuid4()
CHAIRS = (uuid.uuid4(), uuid.uuid4(), uuid.uuid4())
FROM = datetime(2026, 6, 1, tzinfo=UTC)
TO = FROM + timedelta(days=3)
RULES = ServiceRules(
    tz=ZoneInfo("Europe/Berlin"),
    schedule=SchedulePayload(
        weekly=[WeeklyRulePayload(weekday=d, start=time(9), end=time(17)) for d in WEEKDAYS]
    ),
    duration=timedelta(minutes=45),
    interval=timedelta(minutes=30),
    resources=tuple(Resource(c) for c in CHAIRS),
    buffer_before=timedelta(minutes=10),
    buffer_after=timedelta(minutes=15),
    lead_time=timedelta(hours=2),
    window=timedelta(days=2),
    capacity_per_slot=2,
)


@st.composite
def claims(draw: st.DrawFn) -> list[Claim]:
    """Claims of this offering on its own slots and of another offering anywhere, never two
    overlapping on one resource (the database's guarantee)."""
    out: list[Claim] = []
    for chair in CHAIRS:
        at = FROM + timedelta(hours=6)
        for _ in range(draw(st.integers(0, 6))):
            at += timedelta(minutes=15 * draw(st.integers(1, 24)))
            own = draw(st.booleans())
            length = RULES.duration if own else timedelta(minutes=15 * draw(st.integers(1, 8)))
            span = RULES.span_of(at) if own else Span(at, at + length)
            taken = draw(st.integers(1, 2)) if own else 1
            out.append(Claim(chair, OFFERING if own else OTHER, at, span, taken))
            at = span.end
    return out


@settings(max_examples=60, deadline=None)
@given(claims(), st.lists(st.integers(0, 60 * 40), min_size=1, max_size=3))
def test_the_cached_grid_answers_what_computing_every_slot_answers(
    claimed: list[Claim], minutes: list[int]
) -> None:
    start = FROM + timedelta(hours=1)
    grid = Grid.compute(RULES, FROM, TO, bookable_bounds(RULES, FROM, TO, start).start)
    for offset in sorted(minutes):  # time moves on; the grid computed at `start` keeps answering
        now = start + timedelta(minutes=offset)
        bounds = bookable_bounds(RULES, FROM, TO, now)
        assert grid.answers(bounds.start)
        first = bisect_left(grid.starts, bounds.start)
        last = max(bisect_left(grid.starts, bounds.end), first)
        expected = service_slots(RULES, OFFERING, FROM, TO, now, claimed)
        assert grid.with_claims(OFFERING, _Claims(claimed, None, 0.0))[first:last] == [
            _slot_json(s.start, s.end, s.remaining) for s in expected
        ]


async def _remaining(api: Api, offering: dict[str, Any]) -> list[int]:
    response = await api.client.get(
        f"/api/v1/tenants/acme/offerings/{offering['id']}/availability",
        params={"from": "2026-06-02", "to": "2026-06-02"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    # Byte for byte what FastAPI answered when it serialized the model itself.
    model = AvailabilityRead.model_validate_json(response.content)
    assert model.model_dump_json(by_alias=True).encode() == response.content
    return [s["remaining"] for s in response.json()["slots"]]


async def test_a_booking_through_another_api_process_shows_in_the_next_answer(
    api: Api, make_api: Any
) -> None:
    offering = await create_offering(
        api, service(resources=resources("Kim", "Lou"), schedule=weekly(time(9), time(11)))
    )
    assert await _remaining(api, offering) == [2, 2]  # the grid is computed and kept now
    # A second booking app on the same databases, as a second `reservo serve` process would be.
    other: Api = await make_api(["booking"], workers=False, clock=api.runtime.clock)
    booked = await other.book(offering["id"], start="2026-06-02T07:00:00Z")
    assert booked.status_code == 201, booked.text
    assert await _remaining(api, offering) == [1, 2]
    assert (await other.book(offering["id"], start="2026-06-02T08:00:00Z")).status_code == 201
    assert (await other.book(offering["id"], start="2026-06-02T08:00:00Z")).status_code == 201
    assert await _remaining(api, offering) == [1, 0]


def test_the_kept_grids_stay_within_their_slot_budget(monkeypatch: Any) -> None:
    monkeypatch.setattr(availability, "_GRIDS", OrderedDict())
    monkeypatch.setattr(availability, "_grid_slots", 0)
    monkeypatch.setattr(availability, "_GRID_SLOTS", 100)
    grid = Grid.compute(RULES, FROM, TO, FROM)  # 3 days of 15 slots a day on 3 chairs: 45 slots
    for version in range(5):
        availability._keep_grid((OFFERING, version, FROM, TO), grid)
        availability._keep_grid((OFFERING, version, FROM, TO), grid)  # kept again: counted once
    assert list(availability._GRIDS) == [(OFFERING, 3, FROM, TO), (OFFERING, 4, FROM, TO)]
    assert availability._grid_slots == 2 * len(grid.starts) == 90
