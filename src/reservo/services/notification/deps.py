"""Annotated dependencies of the notification service."""

from typing import Annotated

from fastapi import Depends

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.services.notification.service import MailboxService, Subscriptions

Context = Annotated[ServiceContext, Depends(service_context("notification"))]


async def _mailbox(ctx: Context) -> MailboxService:
    return MailboxService(ctx)


async def _subscriptions(ctx: Context) -> Subscriptions:
    return Subscriptions(ctx)


Mailbox = Annotated[MailboxService, Depends(_mailbox)]
SubscriptionsDep = Annotated[Subscriptions, Depends(_subscriptions)]
