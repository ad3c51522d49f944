"""`user.erased`: receipt's booking copies lose the customer's name and address (issue 14, D14-A2).

Receipts keep number, amounts, dates and tax (the law asks that); PDFs already issued are documents
of record and stay as issued."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from reservo.contracts.events.user import UserErased
from reservo.platform.db.uow import Transaction
from reservo.platform.erasure import ERASED, erased_email, scrub_event_tables
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.receipt.models import BookingCopy


async def on_user_erased(event: Envelope[UserErased], tx: Transaction, ctx: ServiceContext) -> None:
    email = event.data.email.lower()
    rows = (
        await tx.session.scalars(
            select(BookingCopy).where(
                or_(
                    BookingCopy.customer_user_id == event.data.user_id,
                    func.lower(BookingCopy.customer_email) == email,
                )
            )
        )
    ).all()
    needles = {email}
    for row in rows:
        needles.add(row.customer_name)
        row.customer_name = ERASED
        row.customer_email = erased_email(row.id)
    await scrub_event_tables(tx, ctx.uow.tables, needles)
