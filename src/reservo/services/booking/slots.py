"""Slot generation, pure (no I/O, no clock): offering rules + a UTC range + `now` -> bookable slots.

Schedules are local wall times in the offering's IANA zone. Each local date's intervals are turned
into UTC instants, and slots step in elapsed time from the interval's opening instant, so a DST day
has as many slots as its real hours allow (a 00:00-06:00 window holds 5 hours on the spring-forward
day and 7 on the fall-back day in Europe/Berlin). Explicit choice for odd wall times (zoneinfo's
fold=0 reading): a wall time in the spring-forward gap moves forward by the gap (02:30 -> 03:30),
an ambiguous wall time in the fall-back hour means its first occurrence (summer time).
"""

from __future__ import annotations

import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from reservo.contracts.events.catalog import OfferingState, SchedulePayload

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The catalog refuses shorter steps; a replica written before that rule is read with this floor.
MIN_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open UTC interval [start, end)."""

    start: datetime
    end: datetime

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Resource:
    id: uuid.UUID
    schedule: SchedulePayload | None = None


@dataclass(frozen=True, slots=True)
class ServiceRules:
    """What slot generation needs of a service offering; `of()` reads it from the catalog state."""

    tz: ZoneInfo
    schedule: SchedulePayload
    duration: timedelta
    interval: timedelta
    resources: tuple[Resource, ...]
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    lead_time: timedelta = timedelta(0)
    window: timedelta | None = None
    capacity_per_slot: int = 1

    @classmethod
    def of(cls, state: OfferingState) -> ServiceRules:
        duration = timedelta(minutes=state.duration_minutes or 60)
        before = timedelta(minutes=state.buffer_before_minutes)
        after = timedelta(minutes=state.buffer_after_minutes)
        interval = max(
            timedelta(minutes=state.slot_interval_minutes)
            if state.slot_interval_minutes
            else duration + before + after,
            MIN_INTERVAL,
        )
        # Without resources the offering itself is the one resource (its id names it).
        resources = tuple(Resource(r.id, r.schedule) for r in state.resources) or (Resource(state.id),)
        return cls(
            tz=zone(state.timezone),
            schedule=state.schedule or SchedulePayload(),
            duration=duration,
            interval=interval,
            resources=resources,
            buffer_before=before,
            buffer_after=after,
            lead_time=timedelta(minutes=state.lead_time_minutes),
            window=timedelta(days=state.booking_window_days) if state.booking_window_days else None,
            capacity_per_slot=state.capacity_per_slot,
        )

    def span_of(self, start: datetime) -> Span:
        """The appointment with its buffers: what no other appointment on the resource may overlap."""
        return Span(start - self.buffer_before, start + self.duration + self.buffer_after)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A slot of the offering's grid and the resources whose schedules allow it."""

    start: datetime
    end: datetime
    resources: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class Claim:
    """Capacity already taken on a resource: a counter row with taken > 0."""

    resource_id: uuid.UUID
    offering_id: uuid.UUID
    start: datetime
    span: Span
    taken: int


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    remaining: int
    free_resources: tuple[uuid.UUID, ...] = field(default=())


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_instant(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall time; fold=0 (see the module docstring) for gaps and overlaps."""
    return datetime.combine(day, wall.replace(tzinfo=None, fold=0), tzinfo=tz).astimezone(UTC)


def _merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for span in sorted(spans):
        if out and span.start <= out[-1].end:
            if span.end > out[-1].end:
                out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return out


def open_spans(schedule: SchedulePayload, tz: ZoneInfo, first: date, last: date) -> list[Span]:
    """Opening intervals on local dates first..last (inclusive) as sorted, merged UTC spans.

    A date exception replaces the weekly rules of that date: `closed` (or no intervals) closes it,
    its intervals open it only then. An interval whose end is not after its start runs past midnight.
    """
    exceptions = {e.date: e for e in schedule.exceptions}
    weekly: dict[int, list[tuple[time, time]]] = {}
    for rule in schedule.weekly:
        weekly.setdefault(WEEKDAYS.index(rule.weekday), []).append((rule.start, rule.end))
    spans: list[Span] = []
    day = first
    while day <= last:
        exception = exceptions.get(day)
        if exception is not None:
            intervals = [] if exception.closed else list(exception.intervals)
        else:
            intervals = weekly.get(day.weekday(), [])
        for opens, closes in intervals:
            close_day = day + timedelta(days=1) if closes <= opens else day
            span = Span(local_instant(day, opens, tz), local_instant(close_day, closes, tz))
            if span.end > span.start:
                spans.append(span)
        day += timedelta(days=1)
    return _merge(spans)


def intersect(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    """Intersection of two sorted, merged span lists."""
    out: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        if start < end:
            out.append(Span(start, end))
        if a[i].end < b[j].end:
            i += 1
        else:
            j += 1
    return out


def _covered(spans: Sequence[Span], starts: Sequence[datetime], slot: Span) -> bool:
    i = bisect_right(starts, slot.start) - 1
    return i >= 0 and spans[i].contains(slot)


def bookable_bounds(rules: ServiceRules, frm: datetime, to: datetime, now: datetime) -> Span:
    """Where slot starts may lie: after `from`, `now` + lead time; before `to` and the booking window."""
    lower = max(frm, now + rules.lead_time)
    upper = min(to, now + rules.window) if rules.window is not None else to
    return Span(lower, upper)


def service_candidates(
    rules: ServiceRules, frm: datetime, to: datetime, now: datetime, limit: int | None = None
) -> list[Candidate]:
    """Slots of the offering's grid with start and end inside [frm, to), open on at least one resource,
    not in the past, not inside the lead time and not beyond the booking window; the first `limit`."""
    return _candidates(rules, frm, to, bookable_bounds(rules, frm, to, now), limit)


def service_grid(
    rules: ServiceRules, frm: datetime, to: datetime, lower: datetime, limit: int | None = None
) -> list[Candidate]:
    """The first `limit` slots of the grid in [frm, to) starting at or after `lower`, open on some
    resource, whatever `now` is. The grid steps from each opening, not from the bounds, so at any
    moment with `bookable_bounds(...).start >= lower`, `service_candidates` answers the slots of this
    list whose start lies within `bookable_bounds` (as long as the list was not cut by `limit`)."""
    return _candidates(rules, frm, to, Span(lower, to), limit)


def _candidates(
    rules: ServiceRules, frm: datetime, to: datetime, bounds: Span, limit: int | None
) -> list[Candidate]:
    if bounds.start >= bounds.end:
        return []
    # One local day of margin each side: an interval of the previous local date can run past midnight.
    first = frm.astimezone(rules.tz).date() - timedelta(days=1)
    last = to.astimezone(rules.tz).date()
    offering = open_spans(rules.schedule, rules.tz, first, last)
    per_resource: list[tuple[uuid.UUID, list[Span], list[datetime]]] = []
    for resource in rules.resources:
        spans = offering
        if resource.schedule is not None:
            spans = intersect(offering, open_spans(resource.schedule, rules.tz, first, last))
        per_resource.append((resource.id, spans, [s.start for s in spans]))
    out: list[Candidate] = []
    for opening in offering:
        start = opening.start
        if start < bounds.start:  # jump ahead on the grid instead of walking from the opening
            steps = -((opening.start - bounds.start) // rules.interval)
            start = opening.start + steps * rules.interval
        while start + rules.duration <= opening.end and start < bounds.end:
            slot = Span(start, start + rules.duration)
            if slot.end <= to:
                free = tuple(rid for rid, spans, starts in per_resource if _covered(spans, starts, slot))
                if free:
                    out.append(Candidate(slot.start, slot.end, free))
                    if limit is not None and len(out) >= limit:
                        return out
            start += rules.interval
    return out


class ClaimIndex:
    """Claims per resource, sorted. Claims on one resource never overlap each other (the database
    guarantees it), so their ends are sorted too and one bisection finds any overlap."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self._by_resource: dict[uuid.UUID, list[Claim]] = {}
        self._own: dict[tuple[uuid.UUID, uuid.UUID, datetime], Claim] = {}
        for claim in claims:
            if claim.taken > 0:
                self._by_resource.setdefault(claim.resource_id, []).append(claim)
                self._own[(claim.offering_id, claim.resource_id, claim.start)] = claim
        self._ends: dict[uuid.UUID, list[datetime]] = {}
        for rid, items in self._by_resource.items():
            items.sort(key=lambda c: c.span.start)
            self._ends[rid] = [c.span.end for c in items]

    def same_slot(self, offering_id: uuid.UUID, resource_id: uuid.UUID, start: datetime) -> Claim | None:
        return self._own.get((offering_id, resource_id, start))

    def blocks(self, resource_id: uuid.UUID, span: Span) -> bool:
        items = self._by_resource.get(resource_id)
        if not items:
            return False
        i = bisect_left(self._ends[resource_id], span.start)
        # ends[i] is the first end >= span.start; an end equal to span.start does not overlap.
        while i < len(items) and items[i].span.end <= span.start:
            i += 1
        return i < len(items) and items[i].span.start < span.end


def service_slots(
    rules: ServiceRules,
    offering_id: uuid.UUID,
    frm: datetime,
    to: datetime,
    now: datetime,
    claims: Iterable[Claim] = (),
    limit: int | None = None,
) -> list[Slot]:
    """Candidates with what is left: per resource, capacity_per_slot minus what this very slot holds,
    or nothing when another appointment (with buffers) overlaps on that resource. The first `limit`."""
    index = ClaimIndex(claims)
    return [slot_of(rules, offering_id, c, index) for c in service_candidates(rules, frm, to, now, limit)]


def slot_of(rules: ServiceRules, offering_id: uuid.UUID, candidate: Candidate, index: ClaimIndex) -> Slot:
    """One candidate with what is left on its resources."""
    span = rules.span_of(candidate.start)
    remaining = 0
    free: list[uuid.UUID] = []
    for rid in candidate.resources:
        own = index.same_slot(offering_id, rid, candidate.start)
        left = rules.capacity_per_slot - own.taken if own else rules.capacity_per_slot
        if own is None and index.blocks(rid, span):
            left = 0
        if left > 0:
            remaining += left
            free.append(rid)
    return Slot(candidate.start, candidate.end, remaining, tuple(free))


def touched_by(rules: ServiceRules, starts: Sequence[datetime], claim: Claim) -> range:
    """Indexes into sorted slot `starts` whose appointment (with buffers) overlaps the claim's span:
    the only slots of the grid whose remaining capacity the claim can change."""
    first = bisect_right(starts, claim.span.start - rules.duration - rules.buffer_after)
    return range(first, bisect_left(starts, claim.span.end + rules.buffer_before))


def session_slots(
    state: OfferingState, frm: datetime, to: datetime, now: datetime, taken: Mapping[uuid.UUID, int]
) -> list[Slot]:
    """An event's sessions starting in [frm, to), after now + lead time and inside the booking window."""
    lower = max(frm, now + timedelta(minutes=state.lead_time_minutes))
    if state.booking_window_days is not None:
        to = min(to, now + timedelta(days=state.booking_window_days))
    return [
        Slot(s.start, s.end, max(s.capacity - taken.get(s.id, 0), 0))
        for s in sorted(state.sessions, key=lambda s: s.start)
        if lower <= s.start < to
    ]
