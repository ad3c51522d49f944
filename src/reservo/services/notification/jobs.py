"""Deliver queued emails and SMS with retries and backoff; turn due reminders into messages."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import structlog

from reservo.contracts.events.notification import EmailUndeliverable
from reservo.platform.auth.links import link_token
from reservo.platform.mail import Outgoing
from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.services.notification.delivery import TwilioSms, mailer, outgoing, retry_at, sms_enabled
from reservo.services.notification.handlers import (
    booking_values,
    manage_link,
    queue_message,
    tenant_info,
)
from reservo.services.notification.models import Email, Sms
from reservo.services.notification.repository import EMAIL_BATCH, MessageRepository
from reservo.services.notification.settings import NotificationSettings
from reservo.services.notification.templates import compose

log = structlog.get_logger(__name__)


def _wake_later(ctx: ServiceContext, job: str, at: datetime) -> None:
    """Run `job` again when a retry falls due, rather than at its next regular tick."""
    delay = max(0.0, (at - ctx.clock.now()).total_seconds())
    asyncio.get_running_loop().call_later(delay, ctx.wake, job)  # the loop keeps the handle


async def send_emails(ctx: ServiceContext) -> int:
    """Send what is due, a batch at a time, while batches come back full and all sent: a backlog
    (a burst of bookings) goes out at once instead of one batch per job tick (every 2 s); a failure
    leaves the rest to the next tick, as before."""
    total = 0
    while True:
        due, sent = await _send_batch(ctx)
        total += due
        if due < EMAIL_BATCH or sent < due:
            return total


async def _send_batch(ctx: ServiceContext) -> tuple[int, int]:
    now = ctx.clock.now()
    async with ctx.uow.read() as session:
        due = await MessageRepository(session).due_emails(now)
    ready: list[tuple[Email, Outgoing]] = []
    for email in due:
        try:
            ready.append((email, await outgoing(ctx, email)))
        except Exception as exc:  # an attachment could not be read
            await _failed(ctx, email, email.attempts + 1, exc)
    # handed to the mailer together: the outbox folder writes them in one go
    outcomes = await mailer(ctx).send_all([item for _, item in ready]) if ready else []
    sent: list[tuple[uuid.UUID, int]] = []
    for (email, _), error in zip(ready, outcomes, strict=True):
        attempt = email.attempts + 1
        if error is not None:
            await _failed(ctx, email, attempt, error)
        else:
            sent.append((email.id, attempt))
    if sent:  # one transaction for the batch: a crash before it resends (same Message-ID), loses none
        async with ctx.uow.transaction() as tx:
            now = ctx.clock.now()
            await MessageRepository(tx.session).emails_sent(sent, now)
    return len(due), len(sent)


async def _failed(ctx: ServiceContext, email: Email, attempt: int, exc: Exception) -> None:
    error = repr(exc)[:2000]
    log.warning("email.send_failed", email_id=str(email.id), attempt=attempt, error=error)
    now = ctx.clock.now()
    gave_up = attempt >= ctx.settings_of(NotificationSettings).email_max_attempts
    values: dict[str, Any] = {"attempts": attempt, "last_error": error, "updated_at": now}
    if gave_up:
        values |= {"status": "failed", "next_attempt_at": None}
    else:
        values["next_attempt_at"] = retry_at(ctx.settings_of(NotificationSettings), attempt, now)
    async with ctx.uow.transaction() as tx:
        messages = MessageRepository(tx.session)
        await messages.update_email(email.id, **values)
        await messages.log(email.id, "email", attempt, "gave_up" if gave_up else "failed", now, error)
        if gave_up:  # into the platform's dead-letter path (see on_email_undeliverable)
            tx.publish(
                EmailUndeliverable(
                    id=email.id,
                    tenant_id=email.tenant_id,
                    template=email.template,
                    attempts=attempt,
                    last_error=error[:500],
                ),
                tenant_id=email.tenant_id,
            )
    if not gave_up:
        _wake_later(ctx, "send_emails", values["next_attempt_at"])


def unsubscribe_url(ctx: ServiceContext, tenant_id: uuid.UUID, email: str) -> str:
    secret = ctx.settings.secret_key.get_secret_value()
    token = link_token(secret, "notification.unsubscribe", f"{tenant_id}:{email.lower()}")
    base = ctx.settings.public_url.rstrip("/")
    query = urlencode({"tenant": str(tenant_id), "email": email.lower(), "token": token})
    return f"{base}/api/v1/notifications/unsubscribe?{query}"


async def due_reminders(ctx: ServiceContext) -> int:
    """Claim each due reminder with a conditional UPDATE in the transaction that queues its messages:
    a crash before commit leaves it scheduled (sent later), after commit it is done (never again)."""
    now = ctx.clock.now()
    async with ctx.uow.read() as session:
        due = await MessageRepository(session).due_reminders(now)
    for reminder in due:
        async with ctx.uow.transaction() as tx:
            messages = MessageRepository(tx.session)
            if not await messages.claim_reminder(reminder.id, now):
                continue  # another worker took it
            copy = await messages.booking_copy(reminder.booking_id)
            wanted = "pending" if reminder.kind == "hold_expiring" else "confirmed"
            if copy is None or copy.data.get("status") != wanted:
                continue  # paid, cancelled or expired meanwhile
            booking = dict(copy.data)
            to = booking["customer"]["email"]
            if reminder.kind == "reminder" and await messages.opted_out(reminder.tenant_id, to, "reminder"):
                continue
            tenant, brand = await tenant_info(tx, reminder.tenant_id)
            values = booking_values(booking, tenant.timezone, brand)
            unsubscribe = (
                unsubscribe_url(ctx, reminder.tenant_id, to) if reminder.kind == "reminder" else None
            )
            rendered = compose(
                reminder.kind,
                brand,
                values,
                link=manage_link(ctx, tenant.slug, booking),
                unsubscribe_url=unsubscribe,
            )
            headers = {"List-Unsubscribe": f"<{unsubscribe}>"} if unsubscribe else {}
            await queue_message(
                tx,
                ctx,
                email_id=uuid.uuid5(reminder.id, "email"),
                source=reminder.id,
                template=reminder.kind,
                tenant_id=reminder.tenant_id,
                to=to,
                rendered=rendered,
                headers=headers,
            )
            phone = booking["customer"].get("phone")
            if reminder.kind == "reminder" and phone and booking.get("sms_consent"):
                tx.session.add(
                    Sms(
                        id=uuid.uuid5(reminder.id, "sms"),
                        tenant_id=reminder.tenant_id,
                        to=phone,
                        body=f"{brand.tenant}: {rendered.subject}",
                        created_at=now,
                        updated_at=now,
                    )
                )
                tx.after_commit(lambda: ctx.wake("send_sms"))
    return len(due)


async def send_sms(ctx: ServiceContext) -> int:
    if not sms_enabled(ctx.settings_of(NotificationSettings)):
        return 0  # without a Twilio account, SMS stay queued (visible in the log)
    sender = TwilioSms(ctx.settings_of(NotificationSettings))
    now = ctx.clock.now()
    async with ctx.uow.read() as session:
        due = await MessageRepository(session).due_sms(now)
    for sms in due:
        attempt = sms.attempts + 1
        values: dict[str, Any]
        try:
            sid = await sender.send(sms)
            values = {"status": "sent", "provider_sid": sid, "sent_at": ctx.clock.now()}
            outcome, error = "sent", None
        except Exception as exc:
            error = repr(exc)[:2000]
            gave_up = attempt >= ctx.settings_of(NotificationSettings).email_max_attempts
            values = (
                {"status": "failed"}
                if gave_up
                else {"next_attempt_at": retry_at(ctx.settings_of(NotificationSettings), attempt, now)}
            )
            outcome = "gave_up" if gave_up else "failed"
            log.warning("sms.send_failed", sms_id=str(sms.id), attempt=attempt, error=error)
        async with ctx.uow.transaction() as tx:
            messages = MessageRepository(tx.session)
            await messages.update_sms(sms.id, attempts=attempt, last_error=error, **values)
            await messages.log(sms.id, "sms", attempt, outcome, ctx.clock.now(), error)
    return len(due)


JOBS = (
    PeriodicJob("send_emails", every_seconds=2.0, run=send_emails),
    PeriodicJob("due_reminders", every_seconds=30.0, run=due_reminders),
    PeriodicJob("send_sms", every_seconds=5.0, run=send_sms),
)
