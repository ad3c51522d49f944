"""The "new booking" note to a tenant's staff: who they are comes from user.membership.changed (a
replica of addresses and roles, nothing more); each booking.created queues one email per member, its id
derived from the event and the member, so a redelivered event mails nobody twice."""

from __future__ import annotations

import uuid
from typing import Any

from reservo.contracts.events.booking import BookingCreated
from reservo.contracts.events.user import MembershipChanged
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.notification.handlers import booking_values, queue_message, tenant_info
from reservo.services.notification.repository import Replicas
from reservo.services.notification.templates import compose


async def on_membership_changed(
    event: Envelope[MembershipChanged], tx: Transaction, ctx: ServiceContext
) -> None:
    tx.forget()  # the staff list read in this transaction may be older than this
    m = event.data
    values = {
        "tenant_id": m.tenant_id,
        "user_id": m.user_id,
        "email": m.email,
        "role": m.role,
        "changed_at": m.changed_at,
    }
    await Replicas(tx.session).keep_member(values)  # an older change never wins


async def on_booking_created_tell_staff(
    event: Envelope[BookingCreated], tx: Transaction, ctx: ServiceContext
) -> None:
    await tell_staff(event, tx, ctx)


async def tell_staff(
    event: Envelope[BookingCreated],
    tx: Transaction,
    ctx: ServiceContext,
    booking_values_: dict[str, Any] | None = None,
) -> None:
    """The note to each staff member; `booking_values_` are the booking's values when the guest's
    email was just written from them (the same booking, tenant, zone and branding)."""
    b = event.data
    staff = await tx.cached(("staff", b.tenant_id), lambda: Replicas(tx.session).staff(b.tenant_id))
    if not staff:
        return
    tenant, brand = await tenant_info(tx, b.tenant_id)
    if booking_values_ is None:
        booking_values_ = booking_values(b.model_dump(mode="json"), tenant.timezone, brand)
    values = {
        **booking_values_,
        "customer_email": b.customer.email,
        "reference": str(b.id)[:8],
    }
    link = f"{ctx.settings.public_url.rstrip('/')}/dashboard/{tenant.slug}/bookings"
    rendered = compose("staff_new_booking", brand, values, link=link)
    for user_id, email in staff:
        await queue_message(
            tx,
            ctx,
            email_id=uuid.uuid5(event.id, f"staff_new_booking:{user_id}"),
            source=event.id,
            template="staff_new_booking",
            tenant_id=b.tenant_id,
            to=email,
            rendered=rendered,
        )
