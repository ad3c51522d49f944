"""Events notification consumes: each one queues an email; jobs.send_emails delivers it."""

from __future__ import annotations

import uuid

from reservo.contracts.events.booking import BookingCreated
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.notification.models import Email
from reservo.services.notification.templates import money, render


async def on_booking_created(event: Envelope[BookingCreated], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    now = ctx.clock.now()
    values = {
        # Derived from the event: a redelivered event can never queue a second email.
        "id": uuid.uuid5(event.id, "booking_created"),
        "tenant_id": b.tenant_id,
        "template": "booking_created",
        "to": b.customer.email,
        "subject": f"Your booking of {b.offering_name}",
        "body": render(
            "booking_created",
            **b.model_dump(),
            total_display=money(b.total.amount, b.total.currency),
        ),
        "status": "queued",
        "attempts": 0,
        "source_event_id": event.id,
        "created_at": now,
        "updated_at": now,
    }
    table = Email.__table__
    stmt = upsert_insert(tx.session, table, values)
    await tx.session.execute(stmt.on_conflict_do_nothing(index_elements=[table.c.id]))
    tx.after_commit(lambda: ctx.wake("send_emails"))


HANDLERS: dict[str, Handler] = {**TENANT_HANDLERS, "booking.created": on_booking_created}
