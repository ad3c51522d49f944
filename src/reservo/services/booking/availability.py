"""Availability: the read-model and the counters, through the pure slot generator."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

from reservo.platform.schemas import BOUNDS, Money, in_bounds
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking.errors import InvalidRange, OfferingNotFound, VariantNotFound
from reservo.services.booking.readmodel import STOCK_KEY, session_key, state_of, variant_of
from reservo.services.booking.replica import fill_offering
from reservo.services.booking.repository import BookingRepository
from reservo.services.booking.schemas import AvailabilityRead, SlotRead
from reservo.services.booking.slots import (
    ServiceRules,
    Slot,
    Span,
    local_instant,
    service_slots,
    session_slots,
    zone,
)

# Bounds of one availability answer (issue 9 item 3): a range of at most 31 days and at most
# MAX_SLOTS slots; a longer answer stops there and names `next_from` to ask again from.
MAX_RANGE = timedelta(days=31)
MAX_SLOTS = 2000


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


class AvailabilityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def slots(
        self, tenant: TenantRef, offering_id: uuid.UUID, frm: str, to: str, variant_id: uuid.UUID | None
    ) -> AvailabilityRead:
        now = self._ctx.clock.now()
        async with self._ctx.uow.read() as session:
            repo = BookingRepository(session, tenant_id=tenant.id)
            replica = await repo.offering(offering_id) or await fill_offering(self._ctx, tenant, offering_id)
            if replica is None or replica.deleted or replica.status != "published":
                raise OfferingNotFound(f"No offering {offering_id}")
            state = state_of(replica)
            start, end = (
                parse_bound(frm, state.timezone, end=False),
                parse_bound(to, state.timezone, end=True),
            )
            if not start < end or end - start > MAX_RANGE:
                raise InvalidRange()
            variant = variant_of(state, variant_id)
            if variant_id is not None and variant is None:
                raise VariantNotFound(f"Offering {state.id} has no variant {variant_id}")
            remaining: int | None = None
            rules: ServiceRules | None = None
            slots: list[Slot] = []
            if state.kind == "service":
                rules = ServiceRules.of(state)
                reach = rules.duration + rules.buffer_before + rules.buffer_after
                claims = await repo.claims([r.id for r in rules.resources], Span(start - reach, end + reach))
            elif state.kind == "event":
                taken = await repo.taken_by_key(state.id)
                by_session = {s.id: taken.get(session_key(s.id), 0) for s in state.sessions}
                slots = session_slots(state, start, end, now, by_session)
            elif state.stock is not None:
                taken = await repo.taken_by_key(state.id)
                remaining = max(state.stock - taken.get(STOCK_KEY, 0), 0)
        if rules is not None:
            # CPU-bound (slots x resources): in a worker thread, so the event loop keeps answering.
            slots = await asyncio.to_thread(
                service_slots, rules, state.id, start, end, now, claims, MAX_SLOTS + 1
            )
        next_from = None
        if len(slots) > MAX_SLOTS:
            next_from, slots = slots[MAX_SLOTS].start, slots[:MAX_SLOTS]
        price = variant.price if variant else state.price
        return AvailabilityRead.model_validate(
            {
                "offering_id": state.id,
                "kind": state.kind,
                "timezone": state.timezone,
                "variant_id": variant_id,
                "price": Money(amount=price.amount, currency=price.currency),
                "from": start,
                "to": end,
                "slots": [SlotRead(start=s.start, end=s.end, remaining=s.remaining) for s in slots],
                "remaining": remaining,
                "next_from": next_from,
            }
        )
