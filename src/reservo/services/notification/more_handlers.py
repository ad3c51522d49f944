"""Handlers added beside handlers.HANDLERS (kept apart so that module can be reshaped freely): the
payment-refunded-why email, the staff replica and the new-booking note to staff, and the localized
account emails."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Batched, Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.notification.account_emails import (
    on_email_verification_requested,
    on_invitation_created,
    on_password_reset_requested,
)
from reservo.services.notification.handlers import on_bookings_created
from reservo.services.notification.rejections import on_payment_rejected
from reservo.services.notification.staff import (
    on_booking_created_tell_staff,
    on_membership_changed,
    tell_staff,
)


def _both(first: Handler, second: Handler) -> Handler:
    async def handle(event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        await first(event, tx, ctx)
        await second(event, tx, ctx)

    return handle


async def _bookings_created(events: list[Envelope[Any]], tx: Transaction, ctx: ServiceContext) -> None:
    """A run of booking.created in a consumer batch (D15-7): the guests' side as one, then each note
    to staff (queued emails only: no statement of one reads the other's writes)."""
    made = await on_bookings_created(events, tx, ctx)
    for event, values in zip(events, made, strict=True):
        await tell_staff(event, tx, ctx, values)


def extended(handlers: Mapping[str, Handler]) -> dict[str, Handler]:
    return {
        **handlers,
        "booking.created": Batched(
            _both(handlers["booking.created"], on_booking_created_tell_staff), _bookings_created
        ),
        "booking.payment_rejected": on_payment_rejected,
        "user.membership.changed": on_membership_changed,
        # localized HTML + text instead of the plain English text templates
        "user.email_verification.requested": on_email_verification_requested,
        "user.password_reset.requested": on_password_reset_requested,
        "user.invitation.created": on_invitation_created,
    }
