"""The "new booking" note to a tenant's staff: who they are comes from user.membership.changed (a
replica of addresses and roles, nothing more); each booking.created queues one email per member, its id
derived from the event and the member, so a redelivered event mails nobody twice."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from reservo.contracts.events.booking import BookingCreated
from reservo.contracts.events.user import MembershipChanged
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.notification.handlers import booking_values, queue_message, tenant_info
from reservo.services.notification.models import Base
from reservo.services.notification.templates import compose


class StaffMember(Base):
    """A tenant's owner or staff member, as the user service last said (`role` None: left)."""

    __tablename__ = "staff_members"
    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str | None] = mapped_column(String(16), default=None)
    changed_at: Mapped[datetime]


async def on_membership_changed(
    event: Envelope[MembershipChanged], tx: Transaction, ctx: ServiceContext
) -> None:
    m = event.data
    values = {
        "tenant_id": m.tenant_id,
        "user_id": m.user_id,
        "email": m.email,
        "role": m.role,
        "changed_at": m.changed_at,
    }
    table = StaffMember.__table__
    stmt = upsert_insert(tx.session, table, values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.tenant_id, table.c.user_id],
        set_={k: stmt.excluded[k] for k in ("email", "role", "changed_at")},
        where=table.c.changed_at <= stmt.excluded.changed_at,  # an older change never wins
    )
    await tx.session.execute(stmt)


async def on_booking_created_tell_staff(
    event: Envelope[BookingCreated], tx: Transaction, ctx: ServiceContext
) -> None:
    b = event.data
    staff = (
        await tx.session.execute(
            select(StaffMember.user_id, StaffMember.email).where(
                StaffMember.tenant_id == b.tenant_id, StaffMember.role.is_not(None)
            )
        )
    ).all()
    if not staff:
        return
    tenant, brand = await tenant_info(tx, b.tenant_id)
    booking = b.model_dump(mode="json")
    values = {
        **booking_values(booking, tenant.timezone, brand),
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
