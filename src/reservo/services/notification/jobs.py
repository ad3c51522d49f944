"""Deliver queued emails through the configured mailer, with retries."""

from __future__ import annotations

from email.message import EmailMessage

import structlog
from sqlalchemy import select, update

from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.services.notification.models import Email

log = structlog.get_logger(__name__)
MAX_ATTEMPTS = 8


async def send_emails(ctx: ServiceContext) -> int:
    async with ctx.uow.read() as session:
        queued = list(
            (
                await session.scalars(
                    select(Email).where(Email.status == "queued").order_by(Email.created_at).limit(100)
                )
            ).all()
        )
    for email in queued:
        message = EmailMessage()
        message["From"] = ctx.settings.mail_from
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Message-ID"] = f"<{email.id}@reservo>"
        message.set_content(email.body)
        try:
            await ctx.mailer.send(message, message_id=str(email.id))
            values: dict[str, object] = {
                "status": "sent",
                "sent_at": ctx.clock.now(),
                "attempts": email.attempts + 1,
            }
        except Exception as exc:
            log.warning("email.send_failed", email_id=str(email.id), error=repr(exc))
            failed = email.attempts + 1 >= MAX_ATTEMPTS
            values = {
                "status": "failed" if failed else "queued",
                "attempts": email.attempts + 1,
                "last_error": repr(exc),
            }
        async with ctx.uow.transaction() as tx:
            await tx.session.execute(
                update(Email).where(Email.id == email.id).values(updated_at=ctx.clock.now(), **values)
            )
    return len(queued)


JOBS = (PeriodicJob("send_emails", every_seconds=2.0, run=send_emails),)
