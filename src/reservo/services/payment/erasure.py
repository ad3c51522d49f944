"""`user.erased`: payment's booking replicas forget the address (issue 14, D14-A2). Payments and
refunds keep amounts and provider references (bookkeeping); they hold no name or address."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from reservo.contracts.events.user import UserErased
from reservo.platform.db.uow import Transaction
from reservo.platform.erasure import erased_email, mentions, scrub_event_tables
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.payment.models import BookingReplica, PaymentEvent


async def on_user_erased(event: Envelope[UserErased], tx: Transaction, ctx: ServiceContext) -> None:
    email = event.data.email.lower()
    rows = (
        await tx.session.scalars(
            select(BookingReplica).where(
                or_(
                    BookingReplica.customer_user_id == event.data.user_id,
                    func.lower(BookingReplica.customer_email) == email,
                )
            )
        )
    ).all()
    for row in rows:
        row.customer_email = erased_email(row.id)
    # A provider's webhook body may echo the address (e.g. a receipt email): the audit row keeps its
    # kind and outcome, not the body.
    for audit in (
        await tx.session.scalars(select(PaymentEvent).where(mentions(PaymentEvent.detail, [email])))
    ).all():
        audit.detail = {"erased": True}
    await scrub_event_tables(tx, ctx.uow.tables, [email])
