"""Properties of the pure slot generator: opening hours, exceptions, buffers, DST days, range bounds."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reservo.contracts.events.catalog import ExceptionPayload, SchedulePayload, WeeklyRulePayload
from reservo.services.booking.slots import (
    WEEKDAYS,
    Claim,
    Resource,
    ServiceRules,
    local_instant,
    service_slots,
)

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]
BERLIN = ZoneInfo("Europe/Berlin")
OFFERING = uuid.uuid4()
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _rules(schedule: SchedulePayload, tz: ZoneInfo = BERLIN, **kw: object) -> ServiceRules:
    base: dict[str, object] = {
        "tz": tz,
        "schedule": schedule,
        "duration": timedelta(minutes=60),
        "interval": timedelta(minutes=60),
        "resources": (Resource(OFFERING),),
    }
    base.update(kw)
    return ServiceRules(**base)  # type: ignore[arg-type]


def _every_day(opens: time, closes: time) -> SchedulePayload:
    return SchedulePayload(weekly=[WeeklyRulePayload(weekday=d, start=opens, end=closes) for d in WEEKDAYS])


def _day_range(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return local_instant(day, time(0), tz), local_instant(day + timedelta(days=1), time(0), tz)


quarter_hours = st.integers(0, 95).map(lambda q: time(q // 4, q % 4 * 15))


@st.composite
def intervals(draw: st.DrawFn) -> tuple[time, time]:
    a, b = sorted(draw(st.lists(quarter_hours, min_size=2, max_size=2, unique=True)))
    return a, b


@st.composite
def schedules(draw: st.DrawFn, first: date) -> SchedulePayload:
    weekly = [
        WeeklyRulePayload(weekday=draw(st.sampled_from(WEEKDAYS)), start=a, end=b)
        for a, b in draw(st.lists(intervals(), max_size=6))
    ]
    exceptions = []
    for offset in draw(st.sets(st.integers(0, 20), max_size=5)):
        closed = draw(st.booleans())
        exceptions.append(
            ExceptionPayload(
                date=first + timedelta(days=offset),
                closed=closed,
                intervals=[] if closed else draw(st.lists(intervals(), min_size=1, max_size=2)),
            )
        )
    return SchedulePayload(weekly=weekly, exceptions=exceptions)


def _intervals_on(schedule: SchedulePayload, day: date) -> list[tuple[time, time]]:
    """Independent reading of the rules: an exception replaces the weekday's rules."""
    for exception in schedule.exceptions:
        if exception.date == day:
            return [] if exception.closed else list(exception.intervals)
    return [(r.start, r.end) for r in schedule.weekly if WEEKDAYS.index(r.weekday) == day.weekday()]


@st.composite
def service_cases(draw: st.DrawFn) -> tuple[ServiceRules, datetime, datetime]:
    first = draw(st.dates(date(2026, 1, 1), date(2026, 12, 1)))
    tz = ZoneInfo(draw(st.sampled_from(ZONES)))
    rules = _rules(
        draw(schedules(first)),
        tz,
        duration=timedelta(minutes=draw(st.sampled_from([15, 30, 45, 60, 90]))),
        interval=timedelta(minutes=draw(st.sampled_from([15, 30, 60, 75]))),
        buffer_before=timedelta(minutes=draw(st.sampled_from([0, 5, 15]))),
        buffer_after=timedelta(minutes=draw(st.sampled_from([0, 10, 30]))),
        resources=tuple(Resource(uuid.uuid4()) for _ in range(draw(st.integers(1, 3)))),
    )
    frm = local_instant(first, draw(quarter_hours), tz)
    to = frm + timedelta(hours=draw(st.integers(1, 24 * 14)))
    return rules, frm, to


class TestOpeningHours:
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(service_cases())
    def test_every_slot_lies_inside_one_opening_interval_of_its_local_date(
        self, case: tuple[ServiceRules, datetime, datetime]
    ) -> None:
        rules, frm, to = case
        for slot in service_slots(rules, OFFERING, frm, to, NOW):
            day = slot.start.astimezone(rules.tz).date()
            opening = sorted(
                (local_instant(day, a, rules.tz), local_instant(day, b, rules.tz))
                for a, b in _intervals_on(rules.schedule, day)
            )
            covered_until = slot.start
            for a, b in opening:  # adjacent or overlapping intervals are one opening
                if a <= covered_until < b:
                    covered_until = b
            assert covered_until >= slot.end, (slot, day)

    @settings(max_examples=150, deadline=None)
    @given(service_cases())
    def test_no_slot_on_a_closed_exception_date(self, case: tuple[ServiceRules, datetime, datetime]) -> None:
        rules, frm, to = case
        closed = {e.date for e in rules.schedule.exceptions if e.closed}
        for slot in service_slots(rules, OFFERING, frm, to, NOW):
            assert slot.start.astimezone(rules.tz).date() not in closed

    @settings(max_examples=150, deadline=None)
    @given(service_cases())
    def test_all_slots_lie_within_from_to(self, case: tuple[ServiceRules, datetime, datetime]) -> None:
        rules, frm, to = case
        for slot in service_slots(rules, OFFERING, frm, to, NOW):
            assert frm <= slot.start < slot.end <= to
            assert slot.end - slot.start == rules.duration

    @settings(max_examples=100, deadline=None)
    @given(service_cases(), st.integers(0, 48 * 60), st.integers(1, 10), st.integers(0, 14 * 24))
    def test_lead_time_and_booking_window_bound_the_starts(
        self, case: tuple[ServiceRules, datetime, datetime], lead: int, window_days: int, hours_after: int
    ) -> None:
        rules, frm, to = case
        now = frm + timedelta(hours=hours_after)
        rules = _rules(
            rules.schedule, rules.tz, lead_time=timedelta(minutes=lead), window=timedelta(days=window_days)
        )
        for slot in service_slots(rules, OFFERING, frm, to, now):
            assert now + timedelta(minutes=lead) <= slot.start < now + timedelta(days=window_days)


class TestBuffers:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(service_cases(), st.data())
    def test_booking_only_what_is_offered_never_overlaps_appointments_with_buffers(
        self, case: tuple[ServiceRules, datetime, datetime], data: st.DataObject
    ) -> None:
        rules, frm, to = case
        claims: list[Claim] = []
        for _ in range(data.draw(st.integers(1, 25))):
            open_slots = [s for s in service_slots(rules, OFFERING, frm, to, NOW, claims) if s.remaining]
            if not open_slots:
                break
            slot = data.draw(st.sampled_from(open_slots))
            resource = data.draw(st.sampled_from(slot.free_resources))
            claims.append(Claim(resource, OFFERING, slot.start, rules.span_of(slot.start), 1))
        for a in claims:
            for b in claims:
                if a is not b and a.resource_id == b.resource_id:
                    assert not a.span.overlaps(b.span), (a, b)

    def test_a_buffer_hides_the_neighbouring_slots_of_a_15_minute_grid(self) -> None:
        rules = _rules(
            _every_day(time(9), time(13)),
            interval=timedelta(minutes=15),
            buffer_after=timedelta(minutes=15),
        )
        day = date(2026, 6, 1)
        taken = local_instant(day, time(10), BERLIN)
        claims = [Claim(OFFERING, OFFERING, taken, rules.span_of(taken), 1)]
        free = {
            s.start.astimezone(BERLIN).time()
            for s in service_slots(rules, OFFERING, *_day_range(day, BERLIN), NOW, claims)
            if s.remaining
        }
        # 10:00-11:00 plus 15 min after: nothing may start 09:15..11:00; 09:00 ends at 10:00 but its own
        # 15-minute buffer reaches into the 10:00 appointment.
        assert time(9) not in free and time(10, 45) not in free
        assert time(11, 15) in free and time(11) not in free

    def test_capacity_per_slot_counts_what_the_slot_holds(self) -> None:
        rules = _rules(_every_day(time(9), time(10)), capacity_per_slot=4)
        day = date(2026, 6, 1)
        start = local_instant(day, time(9), BERLIN)
        claims = [Claim(OFFERING, OFFERING, start, rules.span_of(start), 3)]
        (slot,) = service_slots(rules, OFFERING, *_day_range(day, BERLIN), NOW, claims)
        assert slot.remaining == 1


class TestResources:
    def test_a_slot_is_open_while_some_resource_is_free_and_resource_schedules_narrow(self) -> None:
        morning, afternoon = uuid.uuid4(), uuid.uuid4()
        rules = _rules(
            _every_day(time(8), time(18)),
            resources=(
                Resource(morning, _every_day(time(8), time(12))),
                Resource(afternoon, _every_day(time(11), time(20))),
            ),
        )
        day = date(2026, 6, 1)
        slots = service_slots(rules, OFFERING, *_day_range(day, BERLIN), NOW)
        by_hour = {s.start.astimezone(BERLIN).hour: s for s in slots}
        assert sorted(by_hour) == list(range(8, 18))
        assert by_hour[8].free_resources == (morning,)
        assert by_hour[11].remaining == 2
        assert by_hour[17].free_resources == (afternoon,)
        eleven = by_hour[11].start
        claims = [Claim(morning, OFFERING, eleven, rules.span_of(eleven), 1)]
        again = {s.start: s for s in service_slots(rules, OFFERING, *_day_range(day, BERLIN), NOW, claims)}
        assert again[eleven].free_resources == (afternoon,)


class TestDaylightSaving:
    @pytest.mark.parametrize(
        ("day", "opens", "closes", "expected"),
        [
            (date(2026, 3, 29), time(0), time(6), 5),  # 02:00-03:00 does not exist
            (date(2026, 10, 25), time(0), time(6), 7),  # 02:00-03:00 happens twice
            (date(2026, 3, 29), time(9), time(17), 8),
            (date(2026, 10, 25), time(9), time(17), 8),
            (date(2026, 3, 29), time(0), time(0), 23),  # the whole day
            (date(2026, 10, 25), time(0), time(0), 25),
            (date(2026, 3, 28), time(0), time(0), 24),
        ],
    )
    def test_berlin_dst_days_have_as_many_hourly_slots_as_real_hours(
        self, day: date, opens: time, closes: time, expected: int
    ) -> None:
        rules = _rules(_every_day(opens, closes))
        frm = datetime.combine(day, time(0), tzinfo=BERLIN).astimezone(UTC)
        slots = service_slots(rules, OFFERING, frm, frm + timedelta(days=2), NOW)
        assert len([s for s in slots if s.start.astimezone(BERLIN).date() == day]) == expected
        starts = [s.start for s in slots]
        assert starts == sorted(set(starts))

    def test_an_opening_inside_the_spring_gap_moves_forward_by_the_gap(self) -> None:
        rules = _rules(_every_day(time(2, 30), time(5)))
        day = date(2026, 3, 29)
        walls = [
            s.start.astimezone(BERLIN).time()
            for s in service_slots(rules, OFFERING, *_day_range(day, BERLIN), NOW)
        ]
        assert walls == [time(3, 30)]

    @settings(max_examples=60, deadline=None)
    @given(st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.sampled_from(ZONES))
    def test_a_day_open_around_the_clock_has_one_slot_per_real_hour(self, day: date, name: str) -> None:
        tz = ZoneInfo(name)
        rules = _rules(_every_day(time(0), time(0)), tz)
        frm, to = _day_range(day, tz)
        hours = (to - frm) // timedelta(hours=1)
        assert len(service_slots(rules, OFFERING, frm, to, NOW)) == hours
