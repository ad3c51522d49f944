"""Read side of bookings: staff lists, a customer's own bookings across tenants, and statistics."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reservo.contracts.booking import EARNING, HOLDS_CAPACITY
from reservo.contracts.events.catalog import OfferingState
from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.schemas import Money
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking.availability import parse_bound
from reservo.services.booking.errors import InvalidRange
from reservo.services.booking.models import Booking, OfferingReplica
from reservo.services.booking.readmodel import state_of
from reservo.services.booking.repository import BookingRepository, CustomerBookings, TenantSlugs
from reservo.services.booking.schemas import OfferingStats, StatsRead
from reservo.services.booking.slots import ServiceRules, service_candidates

HOLDING = HOLDS_CAPACITY
MAX_STATS_RANGE = timedelta(days=366)
DEFAULT_STATS_RANGE = timedelta(days=30)


def _after(page: PageParams) -> tuple[datetime, uuid.UUID] | None:
    return page.cursor


def _next(items: list[Booking], limit: int) -> tuple[list[Booking], str | None]:
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode_cursor(items[-1].sort_at, items[-1].id)


class BookingQueries:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def page(
        self,
        tenant: TenantRef,
        page: PageParams,
        *,
        status: str | None,
        offering_id: uuid.UUID | None,
        email: str | None,
        frm: str | None,
        to: str | None,
    ) -> tuple[list[Booking], str | None]:
        start = parse_bound(frm, tenant.timezone, end=False) if frm else None
        end = parse_bound(to, tenant.timezone, end=True) if to else None
        async with self._ctx.uow.read() as session:
            items = await BookingRepository(session, tenant_id=tenant.id).page(
                limit=page.limit + 1,
                after=_after(page),
                status=status,
                offering_id=offering_id,
                email=email,
                start_from=start,
                start_to=end,
            )
        return _next(items, page.limit)

    async def mine(self, user_id: uuid.UUID, page: PageParams) -> tuple[list[Booking], str | None]:
        async with self._ctx.uow.read() as session:
            items = await CustomerBookings(session, user_id=user_id).page(
                limit=page.limit + 1, after=_after(page)
            )
        return _next(items, page.limit)

    async def tenant_slugs(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Slugs of tenants by id, from this service's tenant replica (for links in a customer's list)."""
        if not ids:
            return {}
        async with self._ctx.uow.read() as session:
            return await TenantSlugs(session).of(ids)

    async def stats(self, tenant: TenantRef, frm: str | None, to: str | None) -> StatsRead:
        """Without `to`: up to now; without `from`: the 30 days before `to`."""
        end = parse_bound(to, tenant.timezone, end=True) if to else self._ctx.clock.now()
        start = parse_bound(frm, tenant.timezone, end=False) if frm else end - DEFAULT_STATS_RANGE
        if not start < end or end - start > MAX_STATS_RANGE:
            raise InvalidRange("`from` must be before `to`, at most 366 days apart")
        async with self._ctx.uow.read() as session:
            repo = BookingRepository(session, tenant_id=tenant.id)
            bookings = await repo.in_range(start, end)
            replicas = {r.id: r for r in await repo.offerings()}
        # Capacities walk every slot of a year of schedules: CPU-bound, off the event loop.
        return await asyncio.to_thread(_summary, start, end, bookings, replicas)


def _summary(
    start: datetime, end: datetime, bookings: list[Booking], replicas: dict[uuid.UUID, OfferingReplica]
) -> StatsRead:
    by_status = Counter(b.status for b in bookings)
    revenue: dict[str, int] = defaultdict(int)
    booked: dict[uuid.UUID, int] = defaultdict(int)
    earned: dict[uuid.UUID, int] = defaultdict(int)
    for b in bookings:
        if b.status in HOLDING:
            booked[b.offering_id] += b.quantity
        if b.status in EARNING:
            revenue[b.currency] += b.total_amount
            earned[b.offering_id] += b.total_amount
    offerings: list[OfferingStats] = []
    for oid, replica in replicas.items():
        if replica.deleted and oid not in booked:
            continue
        state = state_of(replica)
        capacity = _capacity(state, start, end)
        offerings.append(
            OfferingStats(
                offering_id=oid,
                name=state.name,
                kind=state.kind,
                booked=booked.get(oid, 0),
                capacity=capacity,
                occupancy=round(booked.get(oid, 0) / capacity, 4) if capacity else None,
                revenue=Money(amount=earned.get(oid, 0), currency=state.price.currency),
            )
        )
    offerings.sort(key=lambda o: o.name)
    top = sorted(
        (o for o in offerings if o.booked),
        key=lambda o: (-o.booked, -(o.revenue.amount if o.revenue else 0)),
    )[:5]
    body: dict[str, Any] = {
        "from": start,
        "to": end,
        "bookings_by_status": dict(sorted(by_status.items())),
        "revenue": [Money(amount=a, currency=c) for c, a in sorted(revenue.items())],
        "offerings": offerings,
        "top_offerings": top,
    }
    return StatsRead.model_validate(body)


def _capacity(state: OfferingState, start: datetime, end: datetime) -> int | None:
    """What could have been booked in [start, end): seats of sessions, slots x resources x capacity
    per slot (ignoring lead time and window: the question is what the range offered), or the stock."""
    if state.kind == "event":
        return sum(s.capacity for s in state.sessions if start <= s.start < end)
    if state.kind == "service":
        rules = dataclasses.replace(ServiceRules.of(state), lead_time=timedelta(0), window=None)
        candidates = service_candidates(rules, start, end, start)
        return sum(len(c.resources) for c in candidates) * rules.capacity_per_slot
    return state.stock


def day_capacity(state: OfferingState, start: datetime | None, timezone: str) -> int | None:
    """What the offering offers on the local day (in `timezone`) that `start` falls on (booking.created
    carries it for analytics' occupancy); None without a start (a product)."""
    if start is None:
        return None
    zone = ZoneInfo(timezone)
    day = start.astimezone(zone).date()
    first = datetime.combine(day, time(), zone).astimezone(UTC)
    return _capacity(state, first, datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC))
