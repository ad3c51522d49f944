"""Turning a queued email into MIME and handing it to the mailer; SMS through Twilio's REST API."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import httpx

from reservo.platform.mail import Mailer, OutboxFolderMailer, Outgoing, SmtpMailer
from reservo.platform.service import ServiceContext
from reservo.services.notification.mime import Attachment, message_bytes
from reservo.services.notification.models import Email, Sms
from reservo.services.notification.settings import NotificationSettings


async def _attachments(ctx: ServiceContext, email: Email) -> list[Attachment]:
    return [
        Attachment(item["filename"], item["content_type"], await ctx.storage.get(item["storage_key"]))
        for item in email.attachments or []
    ]


def build_message(sender: str, email: Email, attachments: list[Attachment]) -> EmailMessage:
    """The email through the standard library's `EmailMessage` (what `mime.message_bytes` declines)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(email.created_at)
    message["Message-ID"] = f"<{email.id}@reservo>"
    for name, value in (email.headers or {}).items():
        message[name] = value
    message.set_content(email.body)
    if email.html:
        message.add_alternative(email.html, subtype="html")
    for item in attachments:
        maintype, _, subtype = item.content_type.partition("/")
        message.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    return message


async def outgoing(ctx: ServiceContext, email: Email) -> Outgoing:
    """The email ready to send; raises what the storage of an attachment raised."""
    sender = ctx.settings_of(NotificationSettings).mail_from
    attachments = await _attachments(ctx, email)
    data = message_bytes(
        sender=sender,
        to=email.to,
        subject=email.subject,
        date=format_datetime(email.created_at),
        message_id=f"<{email.id}@reservo>",
        headers=email.headers or {},
        text=email.body,
        html=email.html,
        attachments=attachments,
    )
    if data is None:
        return Outgoing(build_message(sender, email, attachments), str(email.id))
    return Outgoing(data, str(email.id), sender=parseaddr(sender)[1], recipients=(email.to,))


def as_bytes(item: Outgoing) -> bytes:
    return item.message if isinstance(item.message, bytes) else bytes(item.message)


async def send_now(ctx: ServiceContext, email: Email) -> None:
    """One attempt; raises what the mailer (or the storage of an attachment) raised."""
    (error,) = await mailer(ctx).send_all([await outgoing(ctx, email)])
    if error is not None:
        raise error


def mailer(ctx: ServiceContext) -> Mailer:
    """The runtime's mailer when one was given (tests), else SMTP when a host is set, else .eml files
    in <data_dir>/outbox (the development mailbox)."""
    if ctx.mailer is not None:
        return ctx.mailer
    s = ctx.settings_of(NotificationSettings)
    if not s.smtp_host:
        return OutboxFolderMailer(ctx.settings.outbox_dir)
    return SmtpMailer(
        s.smtp_host,
        s.smtp_port,
        username=s.smtp_username,
        password=s.smtp_password.get_secret_value() if s.smtp_password else None,
        starttls=s.smtp_starttls,
        timeout=s.smtp_timeout_seconds,
    )


def retry_at(settings: NotificationSettings, attempts: int, now: datetime) -> datetime:
    return now + timedelta(seconds=settings.email_retry_seconds * 2 ** (attempts - 1))


class SmsFailed(Exception):
    pass


class TwilioSms:
    """Twilio's Messages resource: POST form fields To, From, Body with Basic auth AccountSid:AuthToken;
    201 answers JSON with `sid` and `status`, a 4xx a JSON `code` and `message`."""

    def __init__(self, settings: NotificationSettings) -> None:
        token = settings.twilio_auth_token
        self._sid = settings.twilio_account_sid or ""
        self._auth = (self._sid, token.get_secret_value() if token else "")
        self._from = settings.twilio_from or ""
        self._url = f"{settings.twilio_api_url.rstrip('/')}/2010-04-01/Accounts/{self._sid}/Messages.json"

    async def send(self, sms: Sms) -> str:
        async with httpx.AsyncClient(timeout=15) as client:
            response = await client.post(
                self._url, data={"To": sms.to, "From": self._from, "Body": sms.body}, auth=self._auth
            )
        if response.status_code != 201:
            try:
                body = response.json()
                reason = f"{body.get('code')}: {body.get('message')}"
            except ValueError:
                reason = response.text[:200]
            raise SmsFailed(f"Twilio answered {response.status_code} ({reason})")
        return str(response.json()["sid"])


def sms_enabled(settings: NotificationSettings) -> bool:
    return bool(settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from)
