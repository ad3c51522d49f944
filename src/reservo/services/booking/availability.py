"""Availability: the read-model and the counters, through the pure slot generator.

A service offering's grid (its slots in a range, whatever is booked) depends only on the offering's
version and the range: it is computed once per process and kept with each slot's JSON. The claims on
its resources are kept with the grid together with the generations (generations.py) read just
before them: while those have not moved, a request does no I/O at all (D15-66). Otherwise one
statement reads the replica's version and the claims (so an answer always shows every booking
committed before it, in any process); only the slots those claims touch are re-serialized and the
bytes are joined: no model is validated per slot.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from pydantic import TypeAdapter

from reservo.contracts.events.catalog import OfferingState
from reservo.platform.schemas import BOUNDS, Money, in_bounds
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking import generations
from reservo.services.booking.errors import InvalidRange, OfferingNotFound, VariantNotFound
from reservo.services.booking.readmodel import STOCK_KEY, parsed, session_key, state_of, variant_of
from reservo.services.booking.replica import fill_offering
from reservo.services.booking.repository import BookingRepository, HotAvailability
from reservo.services.booking.schemas import AvailabilityRead, SlotRead
from reservo.services.booking.settings import BookingSettings
from reservo.services.booking.slots import (
    Candidate,
    Claim,
    ClaimIndex,
    ServiceRules,
    Slot,
    Span,
    bookable_bounds,
    local_instant,
    service_grid,
    session_slots,
    slot_of,
    touched_by,
    zone,
)

# Bounds of one availability answer (issue 9 item 3): a range of at most 31 days and at most
# MAX_SLOTS slots; a longer answer stops there and names `next_from` to ask again from.
MAX_RANGE = timedelta(days=31)
MAX_SLOTS = 2000


@lru_cache(maxsize=1024)  # pure; clients ask the same few ranges over and over
def parse_bound(value: str, tz_name: str, *, end: bool) -> datetime:
    """`2026-03-29` is that local date in the offering's zone (a `to` date includes the whole day);
    a datetime must carry its offset."""
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if not in_bounds(day):
                raise InvalidRange(f"'{value}' is not {BOUNDS}")
            return local_instant(day + timedelta(days=1) if end else day, datetime.min.time(), zone(tz_name))
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidRange(f"'{value}' is neither a date nor a datetime") from exc
    if moment.tzinfo is None:
        raise InvalidRange(f"'{value}' has no UTC offset")
    if not in_bounds(moment.date()) or not in_bounds(moment.astimezone(UTC).date()):
        raise InvalidRange(f"'{value}' is not {BOUNDS}")
    return moment.astimezone(UTC)


_SLOT = TypeAdapter(SlotRead)
_ANSWER = TypeAdapter(AvailabilityRead)


def _slot_json(start: datetime, end: datetime, remaining: int) -> bytes:
    return _SLOT.dump_json(SlotRead.model_construct(start=start, end=end, remaining=remaining))


@dataclass(slots=True)
class Grid:
    """A service offering's slots in one range starting at or after `lower`, before claims apply."""

    rules: ServiceRules
    lower: datetime
    complete: bool  # False: cut at its limit, so it answers only slices inside it
    candidates: list[Candidate]
    starts: list[datetime]
    free: list[bytes]  # each slot's JSON while nothing is claimed
    # The JSON of the claims last applied, reused while a request reads the same claims.
    claims: tuple[Claim, ...] | None = None
    claimed: list[bytes] = field(default_factory=list)
    # The generations read just before those claims were read (None: not read so), and when.
    stamp: tuple[int, ...] | None = None
    read_at: float = 0.0
    # Whole answers with those claims, by (first slot, last slot, variant): the same for every
    # request until the claims change or time moves past a slot.
    bodies: dict[tuple[int, int, uuid.UUID | None], bytes] = field(default_factory=dict)

    @classmethod
    def compute(cls, rules: ServiceRules, frm: datetime, to: datetime, lower: datetime) -> Grid:
        limit = MAX_SLOTS + 1
        candidates = service_grid(rules, frm, to, lower, limit)
        free = [_slot_json(c.start, c.end, rules.capacity_per_slot * len(c.resources)) for c in candidates]
        return cls(rules, lower, len(candidates) < limit, candidates, [c.start for c in candidates], free)

    def answers(self, lower: datetime) -> bool:
        """Whether the grid holds every slot an answer from `lower` on shows."""
        return lower >= self.lower and (
            self.complete or bisect_left(self.starts, lower) + MAX_SLOTS < len(self.starts)
        )

    def vouched(self, stamp: tuple[int, ...], max_age: float) -> bool:
        """Whether the claims applied last are still the database's: no generation of the offering or
        its resources moved since they were read, and they are younger than `max_age` seconds."""
        return stamp == self.stamp and time.monotonic() - self.read_at < max_age

    def with_claims(self, offering_id: uuid.UUID, read: _Claims) -> list[bytes]:
        key = tuple(read.claims)
        if key != self.claims:
            out = list(self.free)
            index = ClaimIndex(read.claims)
            for i in {i for claim in read.claims for i in touched_by(self.rules, self.starts, claim)}:
                slot = slot_of(self.rules, offering_id, self.candidates[i], index)
                out[i] = _slot_json(slot.start, slot.end, slot.remaining)
            self.claims, self.claimed = key, out
            self.bodies = {}
        # The stamp goes with the claims it was read before, whichever request applied them last.
        self.stamp, self.read_at = read.stamp, read.read_at
        return self.claimed


@dataclass(frozen=True, slots=True)
class _Claims:
    """Claims as read, with the generations read just before (None: not read so) and when."""

    claims: list[Claim]
    stamp: tuple[int, ...] | None
    read_at: float


# Grids by (offering, version, from, to), at most _GRID_SLOTS slots in all (a 31-day range of
# 5-minute slots holds up to MAX_SLOTS + 1).
_GRIDS: OrderedDict[tuple[uuid.UUID, int, datetime, datetime], Grid] = OrderedDict()
_GRID_SLOTS = 50_000
_grid_slots = 0  # slots in _GRIDS
# The replica version of each offering this process read last: the next request reads the claims
# on that version's resources in the same statement as the replica's current version.
_SEEN: OrderedDict[uuid.UUID, int] = OrderedDict()
_SEEN_MAX = 4096


def _keep_grid(key: tuple[uuid.UUID, int, datetime, datetime], grid: Grid) -> None:
    global _grid_slots
    if (old := _GRIDS.get(key)) is not grid:
        _grid_slots += len(grid.starts) - (len(old.starts) if old else 0)
        _GRIDS[key] = grid
    _GRIDS.move_to_end(key)
    while _grid_slots > _GRID_SLOTS and len(_GRIDS) > 1:
        _grid_slots -= len(_GRIDS.popitem(last=False)[1].starts)


def _note_seen(offering_id: uuid.UUID, version: int) -> None:
    _SEEN[offering_id] = version
    _SEEN.move_to_end(offering_id)
    if len(_SEEN) > _SEEN_MAX:
        _SEEN.popitem(last=False)


# ServiceRules per parsed state (kept alive here, so its id is not reused).
_RULES: dict[int, tuple[OfferingState, ServiceRules]] = {}


def _rules(state: OfferingState) -> ServiceRules:
    known = _RULES.get(id(state))
    if known is not None and known[0] is state:
        return known[1]
    if len(_RULES) >= 4096:
        _RULES.clear()
    rules = ServiceRules.of(state)
    _RULES[id(state)] = (state, rules)
    return rules


def _range(state: OfferingState, frm: str, to: str) -> Span:
    start, end = parse_bound(frm, state.timezone, end=False), parse_bound(to, state.timezone, end=True)
    if not start < end or end - start > MAX_RANGE:
        raise InvalidRange()
    return Span(start, end)


def _reach(rules: ServiceRules, bounds: Span) -> Span:
    """Where a claim can touch a slot of `bounds`: the slots' length and buffers on either side."""
    reach = rules.duration + rules.buffer_before + rules.buffer_after
    return Span(bounds.start - reach, bounds.end + reach)


class AvailabilityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def slots(
        self, tenant: TenantRef, offering_id: uuid.UUID, frm: str, to: str, variant_id: uuid.UUID | None
    ) -> bytes:
        """The answer as JSON, in the shape of `AvailabilityRead`."""
        now = self._ctx.clock.now()
        if (seen := _seen_service(offering_id, frm, to)) is not None:
            answer = await self._seen(tenant, seen, now, variant_id)
            if answer is not None:
                return answer
        return await self._read(tenant, offering_id, frm, to, variant_id, now)

    async def _seen(
        self, tenant: TenantRef, seen: _Seen, now: datetime, variant_id: uuid.UUID | None
    ) -> bytes | None:
        """A service offering at the version this process saw last: no I/O at all while the
        generations of the offering and its resources have not moved since the claims kept were read
        (D15-66), else one statement. None when the replica holds another version by now."""
        state, bounds = seen.state, seen.bounds
        lower = bookable_bounds(seen.rules, bounds.start, bounds.end, now)
        counters = generations.of(self._ctx)
        stamp = counters.stamp(seen.keys) if counters is not None else None
        grid = _GRIDS.get((state.id, seen.version, bounds.start, bounds.end))
        max_age = self._ctx.settings_of(BookingSettings).claims_max_age_seconds
        if (
            stamp is not None
            and grid is not None
            and grid.answers(lower.start)
            and grid.vouched(stamp, max_age)
        ):
            return self._service_answer(seen.version, state, bounds, lower, grid, None, variant_id)
        read_at = time.monotonic()
        reach, uow = _reach(seen.rules, bounds), self._ctx.uow
        if uow.engines.writer.dialect.driver == "asyncpg":
            async with uow.driver() as connection:
                hot = HotAvailability(connection, tenant_id=tenant.id)
                found = await hot.head_with_claims(state.id, seen.resources, reach)
        else:
            async with uow.read() as session:
                repo = BookingRepository(session, tenant_id=tenant.id)
                found = await repo.head_with_claims(state.id, seen.resources, reach)
        if found is None or found[0][0] != seen.version:
            return None
        (_, status, deleted), claims = found
        if deleted or status != "published":
            raise OfferingNotFound(f"No offering {state.id}")
        grid = await _grid(seen.version, state, seen.rules, bounds, lower)
        return self._service_answer(
            seen.version, state, bounds, lower, grid, _Claims(claims, stamp, read_at), variant_id
        )

    async def _read(
        self,
        tenant: TenantRef,
        offering_id: uuid.UUID,
        frm: str,
        to: str,
        variant_id: uuid.UUID | None,
        now: datetime,
    ) -> bytes:
        """Any offering, read from the replica (filled from catalog on a miss): the first sight of a
        version, an event or a product."""
        async with self._ctx.uow.read() as session:
            repo = BookingRepository(session, tenant_id=tenant.id)
            version, state, claims = await self._state(repo, tenant, offering_id, frm, to)
            bounds = _range(state, frm, to)
            _variant(state, variant_id)
            remaining: int | None = None
            sessions: list[Slot] = []
            if state.kind == "event":
                taken = await repo.taken_by_key(state.id)
                by_session = {s.id: taken.get(session_key(s.id), 0) for s in state.sessions}
                sessions = session_slots(state, bounds.start, bounds.end, now, by_session)
            elif state.kind != "service" and state.stock is not None:
                taken = await repo.taken_by_key(state.id)
                remaining = max(state.stock - taken.get(STOCK_KEY, 0), 0)
        if state.kind == "service":
            rules = _rules(state)
            lower = bookable_bounds(rules, bounds.start, bounds.end, now)
            grid = await _grid(version, state, rules, bounds, lower)
            return self._service_answer(
                version, state, bounds, lower, grid, _Claims(claims, None, 0.0), variant_id
            )
        next_from = None
        if len(sessions) > MAX_SLOTS:
            next_from, sessions = sessions[MAX_SLOTS].start, sessions[:MAX_SLOTS]
        slots = [_slot_json(s.start, s.end, s.remaining) for s in sessions]
        return _answer(state, variant_id, bounds, slots, remaining, next_from)

    def _service_answer(
        self,
        version: int,
        state: OfferingState,
        bounds: Span,
        lower: Span,
        grid: Grid,
        claims: _Claims | None,
        variant_id: uuid.UUID | None,
    ) -> bytes:
        """A service offering's answer from its grid, with `claims` applied (None: the claims the
        grid holds, vouched for by the generations)."""
        _variant(state, variant_id)
        _keep_grid((state.id, version, bounds.start, bounds.end), grid)
        first = bisect_left(grid.starts, lower.start)
        last = max(bisect_left(grid.starts, lower.end), first)
        next_from = None
        if last - first > MAX_SLOTS:
            next_from, last = grid.starts[first + MAX_SLOTS], first + MAX_SLOTS
        claimed = grid.claimed if claims is None else grid.with_claims(state.id, claims)
        if (body := grid.bodies.get((first, last, variant_id))) is None:
            body = _answer(state, variant_id, bounds, claimed[first:last], None, next_from)
            if len(grid.bodies) >= 8:
                grid.bodies.clear()
            grid.bodies[first, last, variant_id] = body
        return body

    async def _state(
        self, repo: BookingRepository, tenant: TenantRef, offering_id: uuid.UUID, frm: str, to: str
    ) -> tuple[int, OfferingState, list[Claim]]:
        """The offering's version and state and, for a service, the claims that touch the range."""
        replica = await repo.offering(offering_id) or await fill_offering(self._ctx, tenant, offering_id)
        if replica is None or replica.deleted or replica.status != "published":
            raise OfferingNotFound(f"No offering {offering_id}")
        state = state_of(replica)
        _note_seen(offering_id, replica.version)
        claims: list[Claim] = []
        if state.kind == "service":
            rules = _rules(state)
            reach = _reach(rules, _range(state, frm, to))
            claims = await repo.claims([r.id for r in rules.resources], reach)
        return replica.version, state, claims


@dataclass(frozen=True, slots=True)
class _Seen:
    """A service offering at the version this process read last, and the range asked."""

    version: int
    state: OfferingState
    rules: ServiceRules
    bounds: Span
    resources: list[uuid.UUID]
    keys: list[uuid.UUID]  # whose generations vouch for its claims: the offering and its resources


def _seen_service(offering_id: uuid.UUID, frm: str, to: str) -> _Seen | None:
    version = _SEEN.get(offering_id)
    state = parsed(offering_id, version) if version is not None else None
    if version is None or state is None or state.kind != "service":
        return None
    try:
        bounds = _range(state, frm, to)
    except InvalidRange:
        return None  # answered once the offering is known to exist
    rules = _rules(state)
    resources = [r.id for r in rules.resources]
    return _Seen(version, state, rules, bounds, resources, [offering_id, *resources])


async def _grid(version: int, state: OfferingState, rules: ServiceRules, bounds: Span, lower: Span) -> Grid:
    grid = _GRIDS.get((state.id, version, bounds.start, bounds.end))
    if grid is None or not grid.answers(lower.start):
        # CPU-bound (slots x resources): in a worker thread, so the event loop keeps answering.
        grid = await asyncio.to_thread(Grid.compute, rules, bounds.start, bounds.end, lower.start)
    return grid


def _variant(state: OfferingState, variant_id: uuid.UUID | None) -> None:
    if variant_id is not None and variant_of(state, variant_id) is None:
        raise VariantNotFound(f"Offering {state.id} has no variant {variant_id}")


def _answer(
    state: OfferingState,
    variant_id: uuid.UUID | None,
    bounds: Span,
    slots: list[bytes],
    remaining: int | None,
    next_from: datetime | None,
) -> bytes:
    variant = variant_of(state, variant_id)
    price = variant.price if variant else state.price
    answer = AvailabilityRead.model_construct(
        offering_id=state.id,
        kind=state.kind,
        timezone=state.timezone,
        variant_id=variant_id,
        price=Money(amount=price.amount, currency=price.currency),
        from_=bounds.start,
        to=bounds.end,
        slots=[],
        remaining=remaining,
        next_from=next_from,
    )
    # The slots' JSON goes where the empty list was serialized: one key "slots" in the object.
    return _ANSWER.dump_json(answer, by_alias=True).replace(
        b'"slots":[]', b'"slots":[' + b",".join(slots) + b"]", 1
    )
