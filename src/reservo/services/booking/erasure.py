"""`user.erased`: a deleted account's bookings are anonymised (issue 14, D14-A2)."""

from __future__ import annotations

from reservo.contracts.events.user import UserErased
from reservo.platform.db.uow import Transaction
from reservo.platform.erasure import ERASED, erased_email, scrub_event_tables
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.booking.repository import CustomerErasure


async def on_user_erased(event: Envelope[UserErased], tx: Transaction, ctx: ServiceContext) -> None:
    """The account's bookings and guest bookings under its address lose name, email, phone and notes.
    Amounts, dates, quantities and status stay: the tenant's books need them."""
    email = event.data.email.lower()
    rows = await CustomerErasure(tx.session).bookings(event.data.user_id, email)
    needles = {email}
    for booking in rows:
        needles.update({booking.customer_name, booking.customer_phone or ""})
        booking.customer_name = ERASED
        booking.customer_email = erased_email(booking.id)
        booking.customer_phone = None
        booking.notes = None
        booking.cancellation_reason = None
    await scrub_event_tables(tx, ctx.uow.tables, needles)
