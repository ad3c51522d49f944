"""HTTP routes of the notification service: unsubscribing from reminders, and the development mailbox.

The mailbox reads the email log in notification.db (attachments from object storage), not a folder,
so it shows the same in one process and in the distributed shape. It exists only in development.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse

from reservo.platform.auth.deps import Anyone
from reservo.platform.http.problems import problem_responses
from reservo.services.notification.deps import Mailbox
from reservo.services.notification.deps import SubscriptionsDep as Subscriptions
from reservo.services.notification.errors import BadUnsubscribeLink, MailboxOff, MessageNotFound
from reservo.services.notification.pages import mailbox_list, message_page, unsubscribe_page

router = APIRouter(tags=["notifications"])
Email = Annotated[str, Query(max_length=320)]
Token = Annotated[str, Query(max_length=200)]


@router.get(
    "/api/v1/notifications/unsubscribe",
    response_class=HTMLResponse,
    responses=problem_responses(BadUnsubscribeLink),
)
async def unsubscribe_form(
    tenant: uuid.UUID, email: Email, token: Token, actor: Anyone, subscriptions: Subscriptions
) -> HTMLResponse:
    """The page an unsubscribe link opens: one button (mail scanners that follow links change nothing)."""
    subscriptions.check(tenant, email, token)
    return HTMLResponse(unsubscribe_page(email, done=False))


@router.post(
    "/api/v1/notifications/unsubscribe",
    response_class=HTMLResponse,
    responses=problem_responses(BadUnsubscribeLink),
)
async def unsubscribe(
    tenant: uuid.UUID, email: Email, token: Token, actor: Anyone, subscriptions: Subscriptions
) -> HTMLResponse:
    """Stop reminders of this tenant to this address (also RFC 8058 one-click from List-Unsubscribe)."""
    await subscriptions.opt_out(tenant, email, token)
    return HTMLResponse(unsubscribe_page(email, done=True))


@router.get("/dev/mailbox", response_class=HTMLResponse, responses=problem_responses(MailboxOff))
async def mailbox(actor: Anyone, box: Mailbox) -> HTMLResponse:
    """(Development only) every email the platform sent or queued, newest first."""
    return HTMLResponse(mailbox_list(await box.latest()))


@router.get(
    "/dev/mailbox/{email_id}",
    response_class=HTMLResponse,
    responses=problem_responses(MailboxOff, MessageNotFound),
)
async def mailbox_message(email_id: uuid.UUID, actor: Anyone, box: Mailbox) -> HTMLResponse:
    return HTMLResponse(message_page(await box.get(email_id)))


@router.get("/dev/mailbox/{email_id}/raw", responses=problem_responses(MailboxOff, MessageNotFound))
async def mailbox_raw(email_id: uuid.UUID, actor: Anyone, box: Mailbox) -> Response:
    """The message as sent (.eml, with its attachments)."""
    raw = await box.raw(email_id)
    return Response(
        raw,
        media_type="message/rfc822",
        headers={"Content-Disposition": f'attachment; filename="{email_id}.eml"'},
    )


@router.get(
    "/dev/mailbox/{email_id}/attachments/{index}", responses=problem_responses(MailboxOff, MessageNotFound)
)
async def mailbox_attachment(email_id: uuid.UUID, index: int, actor: Anyone, box: Mailbox) -> Response:
    filename, content_type, data = await box.attachment(email_id, index)
    return Response(
        data, media_type=content_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
