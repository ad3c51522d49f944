"""Booking use cases: a booking is a hold on capacity until it is paid, then moves through its states."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import manager_of_class

from reservo.contracts.events.booking import (
    GUEST_TOKEN_PURPOSE,
    BookingCreated,
    BookingEvent,
    CustomerPayload,
)
from reservo.contracts.events.catalog import OfferingState, VariantPayload
from reservo.contracts.money import MoneyPayload
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.links import link_token, link_token_ok
from reservo.platform.auth.opaque import digest
from reservo.platform.db.uow import Transaction
from reservo.platform.http.problems import Problem
from reservo.platform.http.ratelimit import attempt, enforce
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking import generations
from reservo.services.booking.errors import (
    BeyondBookingWindow,
    BookingNotFound,
    InsideLeadTime,
    OfferingNotBookable,
    OfferingNotFound,
    QuantityOutOfRange,
    SlotInPast,
    SlotUnavailable,
    SoldOut,
    StartNotAllowed,
    StartRequired,
    TooManyHolds,
    VariantNotFound,
)
from reservo.services.booking.models import Booking
from reservo.services.booking.queries import day_capacity
from reservo.services.booking.readmodel import (
    STOCK_KEY,
    latest,
    parsed,
    session_key,
    slot_key,
    state_of,
    variant_of,
)
from reservo.services.booking.replica import fill_offering
from reservo.services.booking.repository import (
    BookingIndex,
    BookingRepository,
    HotBookings,
    SqliteHotBookings,
)
from reservo.services.booking.schemas import BookingCreate
from reservo.services.booking.settings import BookingSettings
from reservo.services.booking.slots import ServiceRules, Span, service_candidates


def is_staff(actor: Actor | None, tenant: TenantRef) -> bool:
    return actor is not None and (actor.is_admin or actor.role_in(tenant.slug) in (Role.staff, Role.owner))


def guest_token(secret_key: str, booking_id: uuid.UUID) -> str:
    """A guest's credential for one booking, derived (platform/auth/links.py): booking, payment and
    receipt verify it locally, the mailer derives it for the link, and no event has to carry it."""
    return link_token(secret_key, GUEST_TOKEN_PURPOSE, booking_id)


def may_access(
    booking: Booking, tenant: TenantRef, actor: Actor | None, token: str | None, secret_key: str
) -> bool:
    """Staff of the tenant, the signed-in customer who booked, or whoever holds the guest token."""
    if is_staff(actor, tenant):
        return True
    if actor is not None and booking.customer_user_id == actor.user_id:
        return True
    if not token or booking.customer_user_id is not None:
        return False
    if link_token_ok(secret_key, GUEST_TOKEN_PURPOSE, booking.id, token):
        return True
    # Bookings made before derived tokens kept the hash of a random token.
    return bool(booking.access_token_hash and hmac.compare_digest(digest(token), booking.access_token_hash))


def event_fields(b: Booking) -> dict[str, object]:
    """The booking as every booking.* event carries it."""
    return {
        "id": b.id,
        "tenant_id": b.tenant_id,
        "offering_id": b.offering_id,
        "offering_name": b.offering_name,
        "offering_kind": b.kind,
        "variant_id": b.variant_id,
        "variant_name": b.variant_name,
        "session_id": b.session_id,
        "resource_id": b.resource_id,
        "start": b.starts_at,
        "end": b.ends_at,
        "quantity": b.quantity,
        "unit_price": MoneyPayload.of(b.unit_amount, b.currency),
        "total": MoneyPayload.of(b.total_amount, b.currency),
        "tax_rate_bp": b.tax_rate_bp,
        "currency": b.currency,
        "status": b.status,
        "customer": CustomerPayload(name=b.customer_name, email=b.customer_email, phone=b.customer_phone),
        "customer_user_id": b.customer_user_id,
        "sms_consent": b.sms_consent,
        "expires_at": b.expires_at,
        "created_at": b.created_at,
        "booking_version": b.version,
    }


def publish(tx: Transaction, event: BookingEvent) -> None:
    tx.publish(event, tenant_id=event.tenant_id)


@dataclass(frozen=True, slots=True)
class Plan:
    """What to claim, validated before the write transaction: a counter key per candidate resource
    (one for stock and sessions), with the time the booking covers."""

    keys: tuple[tuple[str, uuid.UUID | None], ...] = ()  # (counter key, resource id)
    capacity: int = 0
    start: datetime | None = None
    end: datetime | None = None
    session_id: uuid.UUID | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a booking sits: the counter it claimed and the resource, if any."""

    counter_id: uuid.UUID | None = None
    resource_id: uuid.UUID | None = None


class _ReplicaMiss(Exception):
    """The offering is not in the read-model yet (and the caller holds SQLite's one writer)."""


class _Taken(Exception):
    """This resource is not free for the slot; try the next one."""


@dataclass(frozen=True)
class _Checked:
    """What `BookingService._check` found: the offering, the variant, the counters to claim."""

    state: OfferingState
    variant: VariantPayload | None
    plan: Plan
    now: datetime


class BookingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _hold_limited(self, tenant: TenantRef, actor: Actor | None) -> bool:
        """Unpaid holds take capacity and send an email: bounded per client and per address, so seven
        anonymous requests cannot take seven units nor mail anyone seven times. Staff are exempt."""
        return not (actor is not None and (actor.is_admin or actor.role_in(tenant.slug) is not None))

    async def _limit_holds(
        self, actor: Actor | None, client: str, email: str, held: int, counted: bool = False
    ) -> None:
        """Refuse past the email's limit, else count the attempt against the client's (unless
        `counted` already: the fast path counted it before falling back to this path)."""
        s = self._ctx.settings_of(BookingSettings)
        if held >= s.max_holds_per_email:
            raise _too_many_holds(email, held)
        if counted:
            return
        window = s.hold_minutes * 60.0
        await enforce(self._ctx.rate_limiter, self._client_key(actor, client), s.max_holds_per_client, window)

    @staticmethod
    def _client_key(actor: Actor | None, client: str) -> str:
        # Counted per hold length: more new holds than that in one hold length means more held at once.
        return f"hold:user:{actor.user_id}" if actor is not None else f"hold:ip:{client}"

    async def _offering(
        self,
        session: AsyncSession,
        tenant: TenantRef,
        offering_id: uuid.UUID,
        holds_of: tuple[str, datetime] | None,
        fill: bool = True,
    ) -> tuple[OfferingState | None, int]:
        """The offering's parsed state (None: no such offering) and the email's unpaid holds, in one
        statement while the replica's version is parsed already (the common case). Without `fill`
        a replica miss raises `_ReplicaMiss` instead of asking catalog (SQLite's write transaction)."""
        repo = BookingRepository(session, tenant_id=tenant.id)
        head = await repo.offering_head(offering_id, holds_of)
        held = head[3] if head is not None else 0
        if head is None and holds_of is not None:
            held = await repo.holds_for(*holds_of)
        if head is not None and (state := parsed(offering_id, head[0])) is not None:
            if head[2]:
                return None, held
            if head[1] != "published":
                raise OfferingNotBookable(f"Offering {offering_id} is {head[1]}")
            return state, held
        replica = await repo.offering(offering_id)
        if replica is None and not fill:
            raise _ReplicaMiss
        if replica is None:  # not replicated yet: catalog, the owner, knows (read-your-writes)
            replica = await fill_offering(self._ctx, tenant, offering_id)
        if replica is None or replica.deleted:
            return None, held
        if replica.status != "published":
            raise OfferingNotBookable(f"Offering {replica.id} is {replica.status}")
        return state_of(replica), held

    async def _check(
        self,
        session: AsyncSession,
        tenant: TenantRef,
        actor: Actor | None,
        data: BookingCreate,
        client: str,
        counted: bool = False,
        fill: bool = True,
    ) -> _Checked:
        """Everything a booking is checked against before it claims capacity (reads only)."""
        now = self._ctx.clock.now()
        email = str(data.customer.email).lower()
        limited = self._hold_limited(tenant, actor)
        state, held = await self._offering(
            session, tenant, data.offering_id, (email, now) if limited else None, fill
        )
        if limited:
            await self._limit_holds(actor, client, email, held, counted)
        if state is None:
            raise OfferingNotFound(f"No offering {data.offering_id}")
        variant, plan = _validated(state, data, now)
        return _Checked(state, variant, plan, now)

    def _new(self, tenant: TenantRef, actor: Actor | None, data: BookingCreate, c: _Checked) -> Booking:
        """The held booking, as both paths write it (its counter and resource not placed yet)."""
        hold = timedelta(minutes=c.state.hold_minutes or self._ctx.settings_of(BookingSettings).hold_minutes)
        booking = _held(c.state, c.variant, c.plan, Placement(), data, actor, c.now, hold)
        booking.tenant_id = tenant.id
        return booking

    def _created(self, tenant: TenantRef, booking: Booking, c: _Checked) -> BookingCreated:
        """booking.created of a placed booking (its resource is in the event)."""
        capacity = _day_capacity(c.state, c.plan.start, tenant.timezone)
        manage_url = f"{self._ctx.settings.public_url.rstrip('/')}/t/{tenant.slug}/bookings/{booking.id}"
        return BookingCreated(**event_fields(booking), manage_url=manage_url, day_capacity=capacity)

    async def _hold(
        self, tx: Transaction, tenant: TenantRef, actor: Actor | None, data: BookingCreate, c: _Checked
    ) -> Booking:
        """Claim the capacity and insert the held booking with its event, in `tx`."""
        repo = BookingRepository(tx.session, tenant_id=tenant.id)
        # day_capacity (D10-8) before the claim, so no counter lock waits for it; the event built
        # after the claim (it names the resource placed) finds it memoised.
        _day_capacity(c.state, c.plan.start, tenant.timezone)
        booking = self._new(tenant, actor, data, c)
        one_counter = len(c.plan.keys) == 1 and c.plan.span is None  # stock or an event session
        if not (
            one_counter
            and self._ctx.uow.engines.dialect == "postgresql"
            and await repo.claim_into(c.state.id, c.plan.keys[0][0], data.quantity, booking)
        ):  # SQLite, a service's resources, a counter's first use, or full: claim, then insert
            place = await _claim(repo, tx, c.state, c.plan, data.quantity)
            booking.counter_id, booking.resource_id = place.counter_id, place.resource_id
            if place.resource_id is not None:  # an appointment: availability's claims moved (D15-66)
                generations.moved(tx, self._ctx, place.resource_id)
            await repo.insert(booking)
        publish(tx, self._created(tenant, booking, c))
        return booking

    async def _quick(
        self, tenant: TenantRef, actor: Actor | None, data: BookingCreate, client: str
    ) -> tuple[Booking | None, bool]:
        """The common case without a session: an offering whose newest version this process has
        parsed, one counter (an event session, a product's stock). On PostgreSQL one statement on
        the driver's connection (D15-14, D15-50), on SQLite one function in the writer's thread
        (D15-60). Returns (the booking, or None when the usual path must decide: another version, a
        check that failed, a refused client, a counter's first use, several resources; whether the
        client's attempt was counted already)."""
        cached = latest(data.offering_id)
        if cached is None:
            return None, False
        if self._ctx.uow.engines.dialect == "sqlite":
            return await self._quick_sqlite(cached, tenant, actor, data, client)
        return await self._quick_postgres(cached, tenant, actor, data, client)

    async def _quick_postgres(
        self,
        cached: tuple[int, OfferingState],
        tenant: TenantRef,
        actor: Actor | None,
        data: BookingCreate,
        client: str,
    ) -> tuple[Booking | None, bool]:
        """A guest's (or customer's) attempt is counted against the client's limit first, then the
        statement checks the email's unpaid holds, the version and the capacity and writes; an
        attempt the statement refused for the email's sake is taken back, so what is counted is what
        the usual path counts (D15-50)."""
        version, state = cached
        now = self._ctx.clock.now()
        try:
            variant, plan = _validated(state, data, now)
        except Problem:  # on the version this process knows: the usual path asks the current one
            return None, False
        if len(plan.keys) != 1 or plan.span is not None:
            return None, False
        s = self._ctx.settings_of(BookingSettings)
        limiter, counted, max_held = self._ctx.rate_limiter, None, None
        if self._hold_limited(tenant, actor):
            key, window = self._client_key(actor, client), s.hold_minutes * 60.0
            counted = await attempt(limiter, key, s.max_holds_per_client, window)
            if not counted.allowed:  # the usual path answers, the email's limit first
                return None, False
            max_held = s.max_holds_per_email
        checked = _Checked(state, variant, plan, now)
        booking = self._new(tenant, actor, data, checked)
        created = self._created(tenant, booking, checked)  # one counter: no resource to place
        uow = self._ctx.uow
        outbox = uow.outbox_values(uow.envelope(created, tenant_id=created.tenant_id))
        async with uow.driver() as connection:
            hot = HotBookings(connection, tenant_id=tenant.id)
            found = await hot.book(version, plan.keys[0][0], booking, outbox, max_held)
        if found.counter is not None:
            uow.on_publish()
            return booking, counted is not None
        refused_for_email = found.current and found.held is not None and found.held >= s.max_holds_per_email
        if counted is not None and (refused_for_email or not found.current):
            await limiter.undo(self._client_key(actor, client), counted)
        if refused_for_email:
            raise _too_many_holds(booking.customer_email, found.held or 0)
        if found.current and found.exists:
            raise SoldOut(f"Fewer than {data.quantity} left for {state.name}")
        return None, found.current and counted is not None

    async def _quick_sqlite(
        self,
        cached: tuple[int, OfferingState],
        tenant: TenantRef,
        actor: Actor | None,
        data: BookingCreate,
        client: str,
    ) -> tuple[Booking | None, bool]:
        """A guest's (or customer's) email limit is read first (one hand-off to a reader) and the
        client's attempt counted before anything is written, as on the usual path; the write runs
        in the writer's thread and counts the email's holds again under the write lock (D15-61)."""
        version, state = cached
        now = self._ctx.clock.now()
        email = str(data.customer.email).lower()
        limited = self._hold_limited(tenant, actor)
        uow = self._ctx.uow
        hot = SqliteHotBookings(uow, tenant_id=tenant.id)
        if limited:
            head = await hot.head(data.offering_id, email, now)
            if head is None or head[:3] != (version, "published", False):
                return None, False
            await self._limit_holds(actor, client, email, head[3])
        try:
            variant, plan = _validated(state, data, now)
        except Problem:
            if limited:  # checked against the replica's current version (head above)
                raise
            return None, False  # the version may be old: the usual path reads it
        if len(plan.keys) != 1 or plan.span is not None:
            return None, limited
        checked = _Checked(state, variant, plan, now)
        booking = self._new(tenant, actor, data, checked)
        created = self._created(tenant, booking, checked)  # one counter: no resource to place
        envelope = uow.envelope(created, tenant_id=created.tenant_id)
        limit = self._ctx.settings_of(BookingSettings).max_holds_per_email
        fresh, counter, exists, held = await hot.book(
            version, plan.keys[0][0], booking, envelope, (email, now, limit) if limited else None
        )
        if counter is None and held is not None:
            await self._limit_holds(actor, client, email, held, counted=True)
        if counter is not None:
            uow.on_publish()
            return booking, limited
        if fresh and exists:
            raise SoldOut(f"Fewer than {data.quantity} left for {state.name}")
        return None, limited

    async def create(
        self, tenant: TenantRef, actor: Actor | None, data: BookingCreate, client: str = "unknown"
    ) -> Booking:
        """The common case goes without a session (`_quick`). Otherwise: check against the read-model,
        then claim and insert, in one transaction: no lock is taken before the claim on PostgreSQL,
        which saves a read transaction's round trips per booking (D15-8). SQLite's write transaction
        holds the one writer from its start; the check is one indexed read in this process, cheaper
        than a read transaction of its own (D15-35). A replica miss there must ask catalog and write
        the replica with that writer: the check then runs before the write transaction, as it did."""
        tenant.check_open()
        uow = self._ctx.uow
        sqlite = uow.engines.dialect == "sqlite"
        quick, counted = (None, False)
        if sqlite or uow.engines.writer.dialect.driver == "asyncpg":
            quick, counted = await self._quick(tenant, actor, data, client)
        if quick is not None:
            booking = quick
        elif sqlite:
            try:
                async with uow.transaction() as tx:
                    checked = await self._check(tx.session, tenant, actor, data, client, counted, fill=False)
                    booking = await self._hold(tx, tenant, actor, data, checked)
            except _ReplicaMiss:
                async with uow.read() as session:
                    checked = await self._check(session, tenant, actor, data, client, counted)
                async with uow.transaction() as tx:
                    booking = await self._hold(tx, tenant, actor, data, checked)
        else:
            async with uow.transaction() as tx:
                checked = await self._check(tx.session, tenant, actor, data, client, counted)
                booking = await self._hold(tx, tenant, actor, data, checked)
        if actor is None:  # shown to the guest once, in the response (and mailed as a link)
            secret = self._ctx.settings.secret_key.get_secret_value()
            booking.access_token = guest_token(secret, booking.id)  # type: ignore[attr-defined]
        return booking

    async def find(self, booking_id: uuid.UUID, actor: Actor | None, token: str | None) -> Booking:
        """A booking by id alone, for whoever may see it (payment asks this on a replica miss)."""
        async with self._ctx.uow.read() as session:
            found = await BookingIndex(session).get(booking_id)
        secret = self._ctx.settings.secret_key.get_secret_value()
        if found is None or not may_access(found[0], found[1], actor, token, secret):
            raise BookingNotFound(f"No booking {booking_id}")
        return found[0]

    async def get(
        self, tenant: TenantRef, booking_id: uuid.UUID, actor: Actor | None, token: str | None
    ) -> Booking:
        async with self._ctx.uow.read() as session:
            booking = await BookingRepository(session, tenant_id=tenant.id).get(booking_id)
        secret = self._ctx.settings.secret_key.get_secret_value()
        if booking is None or not may_access(booking, tenant, actor, token, secret):
            raise BookingNotFound(f"No booking {booking_id}")
        return booking


# day_capacity per parsed state (the object: immutable per offering version, kept alive here so its
# id is not reused), start and zone: a hot session's bookings ask the same question each time.
_DAY_CAPACITY: dict[tuple[int, datetime | None, str], tuple[OfferingState, int | None]] = {}


def _day_capacity(state: OfferingState, start: datetime | None, timezone: str) -> int | None:
    key = (id(state), start, timezone)
    known = _DAY_CAPACITY.get(key)
    if known is not None and known[0] is state:
        return known[1]
    if len(_DAY_CAPACITY) >= 4096:
        _DAY_CAPACITY.clear()
    value = day_capacity(state, start, timezone)
    _DAY_CAPACITY[key] = (state, value)
    return value


async def _take(
    repo: BookingRepository, offering_id: uuid.UUID, key: str, capacity: int, n: int, **slot: Any
) -> uuid.UUID | None:
    """Claim n units of the counter `key`, creating the row on its first use; None when full."""
    if (counter := await repo.claim_key(offering_id, key, n)) is not None:
        return counter
    counter = await repo.ensure_counter(offering_id, key, capacity, **slot)
    return counter if await repo.claim(counter, n) else None


_BOOKINGS = manager_of_class(Booking)


def _transient(**values: Any) -> Booking:
    """A new Booking without the mapped constructor's attribute events (a tenth of its CPU): it is
    written by a Core INSERT (or the fast path's statement), never flushed by a session."""
    booking: Booking = _BOOKINGS.new_instance()
    booking.__dict__.update(values)
    return booking


def _held(
    state: OfferingState,
    variant: VariantPayload | None,
    plan: Plan,
    place: Placement,
    data: BookingCreate,
    actor: Actor | None,
    now: datetime,
    hold_time: timedelta,
) -> Booking:
    """A new booking: pending, holding its capacity until `expires_at`."""
    unit = variant.price if variant else state.price
    return _transient(
        id=uuid.uuid4(),
        offering_id=state.id,
        offering_name=state.name,
        kind=state.kind,
        variant_id=variant.id if variant else None,
        variant_name=variant.name if variant else None,
        session_id=plan.session_id,
        resource_id=place.resource_id,
        counter_id=place.counter_id,
        starts_at=plan.start,
        ends_at=plan.end,
        sort_at=plan.start or now,
        quantity=data.quantity,
        status="pending",
        customer_name=data.customer.name,
        customer_email=str(data.customer.email).lower(),
        customer_phone=data.customer.phone,
        customer_user_id=actor.user_id if actor else None,
        notes=data.notes,
        sms_consent=data.sms_consent and data.customer.phone is not None,
        unit_amount=unit.amount,
        total_amount=unit.amount * data.quantity,
        tax_rate_bp=state.tax_rate_bp,
        currency=unit.currency,
        access_token_hash=None,  # guests hold a derived token (guest_token), nothing to store
        expires_at=now + hold_time,
        created_at=now,
        updated_at=now,
        version=1,
    )


def _validated(
    state: OfferingState, data: BookingCreate, now: datetime
) -> tuple[VariantPayload | None, Plan]:
    """The request checked against the offering (pure): its variant and what to claim."""
    variant = variant_of(state, data.variant_id)
    if data.variant_id is not None and variant is None:
        raise VariantNotFound(f"Offering {state.id} has no variant {data.variant_id}")
    _check_quantity(state, data.quantity)
    return variant, _plan(state, data, now)


def _plan(state: OfferingState, data: BookingCreate, now: datetime) -> Plan:
    """Check the request against the offering's rules (pure) and name the counters to claim."""
    if state.kind == "product":
        if data.start is not None:
            raise StartNotAllowed()
        if state.stock is None:
            return Plan()  # unlimited stock: nothing to claim
        return Plan(keys=((STOCK_KEY, None),), capacity=state.stock)
    if data.start is None:
        raise StartRequired()
    start = data.start.astimezone(UTC)
    if state.kind == "event":
        session = next((s for s in state.sessions if s.start == start), None)
        if session is None:
            raise SlotUnavailable(f"{state.name} has no session at {start.isoformat()}")
        if session.start <= now:
            raise SlotInPast()
        if session.start < now + timedelta(minutes=state.lead_time_minutes):
            raise InsideLeadTime()
        if state.booking_window_days is not None and session.start >= now + timedelta(
            days=state.booking_window_days
        ):
            raise BeyondBookingWindow()
        return Plan(
            ((session_key(session.id), None),),
            session.capacity,
            session.start,
            session.end,
            session_id=session.id,
        )
    rules = ServiceRules.of(state)
    if start <= now:
        raise SlotInPast()
    if start < now + rules.lead_time:
        raise InsideLeadTime()
    if rules.window is not None and start >= now + rules.window:
        raise BeyondBookingWindow()
    if data.quantity > rules.capacity_per_slot:
        raise QuantityOutOfRange(f"At most {rules.capacity_per_slot} per slot")
    candidates = service_candidates(rules, start, start + rules.duration, now)
    candidate = next((c for c in candidates if c.start == start), None)
    if candidate is None:
        raise SlotUnavailable(f"{state.name} has no slot at {start.isoformat()}")
    keys: tuple[tuple[str, uuid.UUID | None], ...] = tuple(
        (slot_key(rid, start.isoformat()), rid) for rid in candidate.resources
    )
    return Plan(keys, rules.capacity_per_slot, start, candidate.end, span=rules.span_of(start))


async def _claim(
    repo: BookingRepository, tx: Transaction, state: OfferingState, plan: Plan, quantity: int
) -> Placement:
    if not plan.keys:
        return Placement()
    if plan.span is None:  # stock or an event session: one counter
        counter = await _take(repo, state.id, plan.keys[0][0], plan.capacity, quantity)
        if counter is None:
            raise SoldOut(f"Fewer than {quantity} left for {state.name}")
        return Placement(counter)
    for key, resource_id in plan.keys:
        assert resource_id is not None
        # A savepoint per resource: on PostgreSQL the exclusion constraint aborts the statement
        # that would overlap another appointment; we roll back to here and try the next resource.
        try:
            async with tx.session.begin_nested():
                counter = await _take(
                    repo,
                    state.id,
                    key,
                    plan.capacity,
                    quantity,
                    resource_id=resource_id,
                    starts_at=plan.start,
                    span=plan.span,
                )
                if counter is None:
                    raise _Taken
                # Authoritative on SQLite (writers are serialised); on PostgreSQL the exclusion
                # constraint decides concurrent cases and this only answers the settled ones early.
                if await repo.resource_overlap(resource_id, plan.span, counter):
                    raise _Taken
        except (_Taken, IntegrityError):
            continue
        return Placement(counter, resource_id)
    raise SoldOut(f"No free resource left at {plan.start}")


def _too_many_holds(email: str, held: int) -> TooManyHolds:
    return TooManyHolds(
        f"{email} holds {held} unpaid booking(s); pay or cancel one, or wait until a hold expires"
    )


def _check_quantity(state: OfferingState, quantity: int) -> None:
    if quantity < state.min_quantity or (state.max_quantity is not None and quantity > state.max_quantity):
        bounds = f"{state.min_quantity}..{state.max_quantity or ''}"
        raise QuantityOutOfRange(
            f"{state.name} is booked {bounds} at a time", min=state.min_quantity, max=state.max_quantity
        )
