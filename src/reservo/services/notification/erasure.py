"""`user.erased`: notification forgets the person (issue 14, D14-A2): emails and SMS to them keep
their template, status and times (the delivery log) without address, subject or body; booking copies
lose the customer; opt-outs of the address go."""

from __future__ import annotations

from typing import Any

from reservo.contracts.events.user import UserErased
from reservo.platform.db.uow import Transaction
from reservo.platform.erasure import ERASED, erased_email, scrub_event_tables
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.notification.repository import Erasure


async def on_user_erased(event: Envelope[UserErased], tx: Transaction, ctx: ServiceContext) -> None:
    tx.forget()  # staff addresses read in this transaction may be erased now
    await tx.run_later()  # emails queued earlier in this transaction are scrubbed below too
    email = event.data.email.lower()
    user_id = str(event.data.user_id)
    needles = {email}
    phones: set[str] = set()
    erasure = Erasure(tx.session)
    copies = await erasure.copies_mentioning([email, user_id])
    for copy in copies:
        customer: dict[str, Any] = dict(copy.data.get("customer") or {})
        if (
            str(customer.get("email", "")).lower() != email
            and str(copy.data.get("customer_user_id")) != user_id
        ):
            continue
        needles.add(str(customer.get("name", "")))
        if customer.get("phone"):
            phones.add(str(customer["phone"]))
        copy.data = {
            **copy.data,
            "customer": {"name": ERASED, "email": erased_email(copy.id), "phone": None},
        }
    needles |= phones
    await erasure.scrub_emails(email)
    if phones:
        await erasure.scrub_sms(phones)
    await erasure.drop_opt_outs(email)
    await scrub_event_tables(tx, ctx.uow.tables, needles)
