"""Use cases behind the notification API: opting out of reminders, reading the development mailbox."""

from __future__ import annotations

import uuid

from reservo.platform.auth.links import link_token_ok
from reservo.platform.service import ServiceContext
from reservo.services.notification.delivery import as_bytes, outgoing
from reservo.services.notification.errors import BadUnsubscribeLink, MailboxOff, MessageNotFound
from reservo.services.notification.models import Delivery, Email
from reservo.services.notification.repository import MessageRepository


class Subscriptions:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def check(self, tenant_id: uuid.UUID, email: str, token: str) -> None:
        secret = self._ctx.settings.secret_key.get_secret_value()
        if not link_token_ok(secret, "notification.unsubscribe", f"{tenant_id}:{email.lower()}", token):
            raise BadUnsubscribeLink("The link is incomplete or was changed")

    async def opt_out(self, tenant_id: uuid.UUID, email: str, token: str) -> None:
        self.check(tenant_id, email, token)
        async with self._ctx.uow.transaction() as tx:
            await MessageRepository(tx.session).opt_out(tenant_id, email, "reminder", self._ctx.clock.now())


class MailboxService:
    """Development only; every method answers 404 mailbox_off in any other environment."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        if ctx.settings.environment != "development":
            raise MailboxOff("Set RESERVO_ENVIRONMENT=development to use /dev/mailbox")

    async def latest(self, limit: int = 200) -> list[Email]:
        async with self._ctx.uow.read() as session:
            return await MessageRepository(session).latest_emails(limit)

    async def get(self, email_id: uuid.UUID) -> tuple[Email, list[Delivery]]:
        async with self._ctx.uow.read() as session:
            messages = MessageRepository(session)
            email = await messages.email(email_id)
            if email is None:
                raise MessageNotFound(f"No message {email_id}")
            return email, await messages.deliveries(email_id)

    async def raw(self, email_id: uuid.UUID) -> bytes:
        email, _ = await self.get(email_id)
        return as_bytes(await outgoing(self._ctx, email))

    async def attachment(self, email_id: uuid.UUID, index: int) -> tuple[str, str, bytes]:
        email, _ = await self.get(email_id)
        items = email.attachments or []
        if not 0 <= index < len(items):
            raise MessageNotFound(f"Message {email_id} has no attachment {index}")
        item = items[index]
        return item["filename"], item["content_type"], await self._ctx.storage.get(item["storage_key"])
