"""Events notification consumes: each one queues an email; jobs.send_emails delivers it."""

from __future__ import annotations

import uuid
from typing import Any

from reservo.contracts.events.booking import GUEST_TOKEN_PURPOSE, BookingCreated
from reservo.contracts.events.user import (
    EMAIL_VERIFICATION_PURPOSE,
    INVITATION_PURPOSE,
    PASSWORD_RESET_PURPOSE,
    EmailVerificationRequested,
    InvitationCreated,
    PasswordResetRequested,
)
from reservo.platform.auth.links import link_token
from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.notification.models import Email
from reservo.services.notification.templates import money, plain, render

# Account emails belong to no tenant; the emails table requires one, so they use the nil UUID.
PLATFORM_TENANT = uuid.UUID(int=0)


async def _queue(
    event: Envelope[Any],
    tx: Transaction,
    ctx: ServiceContext,
    *,
    template: str,
    to: str,
    subject: str,
    tenant_id: uuid.UUID,
    context: dict[str, Any],
) -> None:
    now = ctx.clock.now()
    values = {
        # Derived from the event: a redelivered event can never queue a second email.
        "id": uuid.uuid5(event.id, template),
        "tenant_id": tenant_id,
        "template": template,
        "to": to,
        "subject": subject,
        "body": render(template, **context),
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


def _link(ctx: ServiceContext, url: str, purpose: str, subject: uuid.UUID) -> str:
    """The emailed link: the event's token-less `url` plus the token derived from the deployment's key,
    in the fragment, which browsers never send to a server (so no access log sees it)."""
    return f"{url}#token={link_token(ctx.settings.secret_key.get_secret_value(), purpose, subject)}"


async def on_email_verification_requested(
    event: Envelope[EmailVerificationRequested], tx: Transaction, ctx: ServiceContext
) -> None:
    d = event.data
    await _queue(
        event,
        tx,
        ctx,
        template="verify_email",
        to=d.email,
        subject="Confirm your email address",
        tenant_id=PLATFORM_TENANT,
        context={**d.model_dump(), "url": _link(ctx, d.url, EMAIL_VERIFICATION_PURPOSE, d.link_id)},
    )


async def on_password_reset_requested(
    event: Envelope[PasswordResetRequested], tx: Transaction, ctx: ServiceContext
) -> None:
    d = event.data
    await _queue(
        event,
        tx,
        ctx,
        template="password_reset",
        to=d.email,
        subject="Reset your password",
        tenant_id=PLATFORM_TENANT,
        context={**d.model_dump(), "url": _link(ctx, d.url, PASSWORD_RESET_PURPOSE, d.link_id)},
    )


async def on_invitation_created(
    event: Envelope[InvitationCreated], tx: Transaction, ctx: ServiceContext
) -> None:
    d = event.data
    await _queue(
        event,
        tx,
        ctx,
        template="invitation",
        to=d.email,
        subject=f"Join {d.tenant_name} on Reservo",
        tenant_id=d.tenant_id,
        context={**d.model_dump(), "url": _link(ctx, d.url, INVITATION_PURPOSE, d.link_id)},
    )


async def on_booking_created(event: Envelope[BookingCreated], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    await _queue(
        event,
        tx,
        ctx,
        template="booking_created",
        to=b.customer.email,
        subject=f"Your booking of {plain(b.offering_name, 80)}",
        tenant_id=b.tenant_id,
        context={
            **b.model_dump(),
            "total_display": money(b.total.amount, b.total.currency),
            # A guest manages the booking with the link; a signed-in customer finds it in their account.
            "manage_link": _link(ctx, b.manage_url, GUEST_TOKEN_PURPOSE, b.id)
            if b.customer_user_id is None
            else None,
        },
    )


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    "booking.created": on_booking_created,
    "user.email_verification.requested": on_email_verification_requested,
    "user.password_reset.requested": on_password_reset_requested,
    "user.invitation.created": on_invitation_created,
}
