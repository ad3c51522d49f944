"""The booking state machine and the hold sweeper.

    pending -> confirmed -> completed | no_show
    pending -> expired | cancelled          confirmed -> cancelled (refund per policy)

Every change is one conditional UPDATE on (status, version) as read, so two concurrent changes (a
customer cancelling while the sweeper expires the hold, two sweepers) cannot both happen; capacity
is released in the same transaction as the status change that wins, hence exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal

from reservo.contracts.events.booking import (
    BookingCancelled,
    BookingCompleted,
    BookingConfirmed,
    BookingEvent,
    BookingExpired,
    BookingNoShow,
)
from reservo.contracts.money import MoneyPayload
from reservo.platform.auth.actor import Actor
from reservo.platform.db.uow import Transaction
from reservo.platform.http.problems import VersionConflict
from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking import generations
from reservo.services.booking.errors import AlreadyCancelled, BookingNotFound, IllegalTransition
from reservo.services.booking.models import Booking
from reservo.services.booking.readmodel import state_of
from reservo.services.booking.repository import BookingRepository, Expiry
from reservo.services.booking.service import event_fields, is_staff, may_access, publish

Target = Literal["confirmed", "cancelled", "completed", "no_show", "expired"]
ALLOWED: dict[str, frozenset[str]] = {
    "pending": frozenset({"confirmed", "cancelled", "expired"}),
    "confirmed": frozenset({"cancelled", "completed", "no_show"}),
}
RELEASES = frozenset({"cancelled", "expired"})  # the capacity goes back to the pool
EventFactory = Callable[[Booking, datetime], BookingEvent]


def allowed(status: str, target: str) -> bool:
    """Whether the state machine lets a booking in `status` become `target`."""
    return target in ALLOWED.get(status, frozenset())


class BookingLifecycle:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def confirm(self, tenant: TenantRef, booking_id: uuid.UUID, version: int | None) -> Booking:
        return await self._move(
            tenant,
            booking_id,
            "confirmed",
            version,
            lambda b, now: BookingConfirmed(**event_fields(b), confirmed_at=now),
            confirmed_at=True,
        )

    async def complete(self, tenant: TenantRef, booking_id: uuid.UUID, version: int | None) -> Booking:
        return await self._move(
            tenant,
            booking_id,
            "completed",
            version,
            lambda b, now: BookingCompleted(**event_fields(b), completed_at=now),
        )

    async def no_show(self, tenant: TenantRef, booking_id: uuid.UUID, version: int | None) -> Booking:
        return await self._move(
            tenant,
            booking_id,
            "no_show",
            version,
            lambda b, now: BookingNoShow(**event_fields(b), marked_at=now),
        )

    async def cancel(
        self,
        tenant: TenantRef,
        booking_id: uuid.UUID,
        version: int | None,
        actor: Actor | None,
        token: str | None,
        reason: str | None = None,
    ) -> Booking:
        by_staff = is_staff(actor, tenant)

        def event(b: Booking, now: datetime) -> BookingEvent:
            return BookingCancelled(
                **event_fields(b),
                cancelled_at=now,
                cancelled_by="staff" if by_staff else "customer",
                refund=None if b.refund_amount is None else MoneyPayload.of(b.refund_amount, b.currency),
                reason=b.cancellation_reason,
            )

        return await self._move(
            tenant, booking_id, "cancelled", version, event, actor=actor, token=token, reason=reason
        )

    async def _move(
        self,
        tenant: TenantRef,
        booking_id: uuid.UUID,
        target: Target,
        version: int | None,
        event: EventFactory,
        *,
        actor: Actor | None = None,
        token: str | None = None,
        confirmed_at: bool = False,
        reason: str | None = None,
    ) -> Booking:
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = BookingRepository(tx.session, tenant_id=tenant.id)
            booking = await repo.get(booking_id)
            secret = self._ctx.settings.secret_key.get_secret_value()
            if booking is None or (
                target == "cancelled" and not may_access(booking, tenant, actor, token, secret)
            ):
                raise BookingNotFound(f"No booking {booking_id}")
            if target == "cancelled" and booking.status == "cancelled":
                raise AlreadyCancelled()
            if not allowed(booking.status, target):
                raise IllegalTransition(f"A {booking.status} booking cannot become {target}")
            if version is not None and version != booking.version:
                raise VersionConflict(f"Booking is at version {booking.version}, not {version}")
            values: dict[str, object] = {}
            if confirmed_at:
                values["confirmed_at"] = now
            if target == "cancelled":
                values["cancelled_at"] = now
                values["cancellation_reason"] = reason or None
                values["refund_amount"] = await self._refund(repo, booking, tenant, actor, now)
            if not await advance(self._ctx, tx, repo, booking, target, event, now, **values):
                raise VersionConflict("The booking changed meanwhile; reload and retry")
        return booking

    async def _refund(
        self, repo: BookingRepository, booking: Booking, tenant: TenantRef, actor: Actor | None, now: datetime
    ) -> int | None:
        """Nothing was paid for a pending hold. A confirmed booking is refunded in full when staff
        cancel it, or the customer does so before the offering's free-cancellation deadline."""
        if booking.status != "confirmed":
            return None
        if is_staff(actor, tenant) or booking.starts_at is None:
            return booking.total_amount
        replica = await repo.offering(booking.offering_id)
        hours = state_of(replica).cancellation_free_hours if replica else None
        if hours is None or now <= booking.starts_at - timedelta(hours=hours):
            return booking.total_amount
        return None


async def advance(
    ctx: ServiceContext,
    tx: Transaction,
    repo: BookingRepository,
    booking: Booking,
    target: str,
    event: EventFactory,
    now: datetime,
    **values: object,
) -> bool:
    """The one way a booking changes status, whoever asks (the API, the hold sweeper, a payment): one
    conditional UPDATE on the status and version as read, the capacity released in the same
    transaction when `target` frees it, and the event published. False when another change won
    (nothing is written then); the caller has checked that the move is allowed."""
    values = {"updated_at": now, **values}
    if not await repo.transition(booking, target, **values):
        return False
    if target in RELEASES and booking.counter_id is not None:
        await repo.release(booking.counter_id, booking.quantity)
        generations.moved(tx, ctx, booking.resource_id or booking.offering_id)
    _apply(booking, target, values)
    publish(tx, event(booking, now))
    return True


def _apply(booking: Booking, status: str, values: dict[str, object]) -> None:
    """Mirror the conditional UPDATE on the (expunged) object that the response and event read."""
    booking.status = status
    booking.version += 1
    for key, value in values.items():
        setattr(booking, key, value)


async def expire_holds(ctx: ServiceContext, *, batch: int = 200) -> int:
    """Expire unpaid holds whose time is up, releasing their capacity; returns how many it expired."""
    now = ctx.clock.now()
    async with ctx.uow.read() as session:
        due = await Expiry(session).due(now, batch)
    expired = 0
    for booking_id, tenant_id in due:
        async with ctx.uow.transaction() as tx:
            repo = BookingRepository(tx.session, tenant_id=tenant_id)
            booking = await repo.get(booking_id)
            if booking is None or not allowed(booking.status, "expired") or booking.expires_at > now:
                continue
            # False: someone else (a payment, a cancel, another sweeper) got there first.
            expired += await advance(ctx, tx, repo, booking, "expired", _expired, now)
    return expired


def _expired(booking: Booking, now: datetime) -> BookingEvent:
    return BookingExpired(**event_fields(booking), expired_at=now)


async def _expire_job(ctx: ServiceContext) -> int:
    return await expire_holds(ctx)


EXPIRE_HOLDS = PeriodicJob(name="expire_holds", every_seconds=15.0, run=_expire_job)
