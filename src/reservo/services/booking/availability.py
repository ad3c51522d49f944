"""Availability: the read-model and the counters, through the pure slot generator.

A service offering's grid (its slots in a range, whatever is booked) depends only on the offering's
version and the range: it is computed once per process and kept with each slot's JSON. A request
reads the replica's version and the claims in one statement (so an answer always shows every
booking committed before it, in any process), re-serializes only the slots those claims touch and
joins the bytes: no model is validated per slot.
"""

from __future__ import annotations

import asyncio
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
from reservo.services.booking.errors import InvalidRange, OfferingNotFound, VariantNotFound
from reservo.services.booking.readmodel import STOCK_KEY, parsed, session_key, state_of, variant_of
from reservo.services.booking.replica import fill_offering
from reservo.services.booking.repository import BookingRepository
from reservo.services.booking.schemas import AvailabilityRead, SlotRead
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

    def with_claims(self, offering_id: uuid.UUID, claims: list[Claim]) -> list[bytes]:
        key = tuple(claims)
        if key != self.claims:
            out = list(self.free)
            index = ClaimIndex(claims)
            for i in {i for claim in claims for i in touched_by(self.rules, self.starts, claim)}:
                slot = slot_of(self.rules, offering_id, self.candidates[i], index)
                out[i] = _slot_json(slot.start, slot.end, slot.remaining)
            self.claims, self.claimed = key, out
        return self.claimed


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


def _seen(offering_id: uuid.UUID, version: int) -> None:
    _SEEN[offering_id] = version
    _SEEN.move_to_end(offering_id)
    if len(_SEEN) > _SEEN_MAX:
        _SEEN.popitem(last=False)


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
        async with self._ctx.uow.read() as session:
            repo = BookingRepository(session, tenant_id=tenant.id)
            version, state, claims = await self._state(repo, tenant, offering_id, frm, to)
            bounds = _range(state, frm, to)
            variant = variant_of(state, variant_id)
            if variant_id is not None and variant is None:
                raise VariantNotFound(f"Offering {state.id} has no variant {variant_id}")
            remaining: int | None = None
            sessions: list[Slot] = []
            if state.kind == "event":
                taken = await repo.taken_by_key(state.id)
                by_session = {s.id: taken.get(session_key(s.id), 0) for s in state.sessions}
                sessions = session_slots(state, bounds.start, bounds.end, now, by_session)
            elif state.kind != "service" and state.stock is not None:
                taken = await repo.taken_by_key(state.id)
                remaining = max(state.stock - taken.get(STOCK_KEY, 0), 0)
        next_from = None
        if state.kind == "service":
            rules = ServiceRules.of(state)
            lower = bookable_bounds(rules, bounds.start, bounds.end, now)
            key = (state.id, version, bounds.start, bounds.end)
            grid = _GRIDS.get(key)
            if grid is None or not grid.answers(lower.start):
                # CPU-bound (slots x resources): in a worker thread, so the event loop keeps answering.
                grid = await asyncio.to_thread(Grid.compute, rules, bounds.start, bounds.end, lower.start)
            _keep_grid(key, grid)
            first = bisect_left(grid.starts, lower.start)
            last = max(bisect_left(grid.starts, lower.end), first)
            if last - first > MAX_SLOTS:
                next_from, last = grid.starts[first + MAX_SLOTS], first + MAX_SLOTS
            slots = grid.with_claims(state.id, claims)[first:last]
        else:
            if len(sessions) > MAX_SLOTS:
                next_from, sessions = sessions[MAX_SLOTS].start, sessions[:MAX_SLOTS]
            slots = [_slot_json(s.start, s.end, s.remaining) for s in sessions]
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

    async def _state(
        self, repo: BookingRepository, tenant: TenantRef, offering_id: uuid.UUID, frm: str, to: str
    ) -> tuple[int, OfferingState, list[Claim]]:
        """The offering's version and state and, for a service, the claims that touch the range.

        One statement when this process has seen the offering's current version already; a newer
        version (or a first sight) costs a second one."""
        if (known := await self._known(repo, offering_id, frm, to)) is not None:
            return known
        replica = await repo.offering(offering_id) or await fill_offering(self._ctx, tenant, offering_id)
        if replica is None or replica.deleted or replica.status != "published":
            raise OfferingNotFound(f"No offering {offering_id}")
        state = state_of(replica)
        _seen(offering_id, replica.version)
        claims: list[Claim] = []
        if state.kind == "service":
            rules = ServiceRules.of(state)
            reach = _reach(rules, _range(state, frm, to))
            claims = await repo.claims([r.id for r in rules.resources], reach)
        return replica.version, state, claims

    async def _known(
        self, repo: BookingRepository, offering_id: uuid.UUID, frm: str, to: str
    ) -> tuple[int, OfferingState, list[Claim]] | None:
        """The one-statement read, when the version this process saw last is still the replica's."""
        version = _SEEN.get(offering_id)
        state = parsed(offering_id, version) if version is not None else None
        if version is None or state is None or state.kind != "service":
            return None
        try:
            bounds = _range(state, frm, to)
        except InvalidRange:
            return None  # answered once the offering is known to exist
        rules = ServiceRules.of(state)
        resources = [r.id for r in rules.resources]
        found = await repo.head_with_claims(offering_id, resources, _reach(rules, bounds))
        if found is None or found[0][0] != version:
            return None
        (_, status, deleted), claims = found
        if deleted or status != "published":
            raise OfferingNotFound(f"No offering {offering_id}")
        return version, state, claims
