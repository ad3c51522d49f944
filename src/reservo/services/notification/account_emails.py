"""Account emails (email verification, password reset, invitation) as localized HTML with a plain-text
part, in the same branded layout as the booking emails. An invitation speaks the inviting tenant's
language with its branding; verification and reset speak the user's language (the event's `locale`,
from the account's profile or registration) when it names one, else English. The link's token goes
in the URL fragment."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from reservo.contracts.events.user import (
    EMAIL_VERIFICATION_PURPOSE,
    INVITATION_PURPOSE,
    PASSWORD_RESET_PURPOSE,
    EmailVerificationRequested,
    InvitationCreated,
    PasswordResetRequested,
)
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.services.notification.handlers import (
    PLATFORM_TENANT,
    NotYetKnown,
    _link,
    queue_message,
    tenant_info,
)
from reservo.services.notification.messages import WORDS, language
from reservo.services.notification.templates import Branding, compose, local_time

PLATFORM = "Reservo"


def _expires(moment: datetime, locale: str | None) -> str:
    return f"{local_time(moment, 'UTC', locale)} UTC"


async def _send(
    event: Envelope[Any],
    tx: Transaction,
    ctx: ServiceContext,
    *,
    template: str,
    to: str,
    tenant_id: uuid.UUID,
    brand: Branding,
    values: dict[str, Any],
    link: str,
) -> None:
    await queue_message(
        tx,
        ctx,
        email_id=uuid.uuid5(event.id, template),  # as before: a redelivery queues nothing new
        source=event.id,
        template=template,
        tenant_id=tenant_id,
        to=to,
        rendered=compose(template, brand, values, link=link),
    )


async def on_email_verification_requested(
    event: Envelope[EmailVerificationRequested], tx: Transaction, ctx: ServiceContext
) -> None:
    d = event.data
    brand = Branding(tenant=PLATFORM, locale=d.locale)
    values = {"name": d.name, "email": d.email, "expires": _expires(d.expires_at, brand.locale)}
    link = _link(ctx, d.url, EMAIL_VERIFICATION_PURPOSE, d.link_id)
    await _send(
        event,
        tx,
        ctx,
        template="verify_email",
        to=d.email,
        tenant_id=PLATFORM_TENANT,
        brand=brand,
        values=values,
        link=link,
    )


async def on_password_reset_requested(
    event: Envelope[PasswordResetRequested], tx: Transaction, ctx: ServiceContext
) -> None:
    d = event.data
    brand = Branding(tenant=PLATFORM, locale=d.locale)
    values = {"name": d.name, "expires": _expires(d.expires_at, brand.locale)}
    link = _link(ctx, d.url, PASSWORD_RESET_PURPOSE, d.link_id)
    await _send(
        event,
        tx,
        ctx,
        template="password_reset",
        to=d.email,
        tenant_id=PLATFORM_TENANT,
        brand=brand,
        values=values,
        link=link,
    )


async def on_invitation_created(
    event: Envelope[InvitationCreated], tx: Transaction, ctx: ServiceContext
) -> None:
    d = event.data
    try:
        _, brand = await tenant_info(tx, d.tenant_id)
    except NotYetKnown:  # the tenant's profile has not arrived: its name from the event, in English
        brand = Branding(tenant=d.tenant_name, locale=None)
    words = WORDS[language(brand.locale)]
    values = {
        "tenant_name": d.tenant_name,
        "invited_by": d.invited_by,
        "role": words.get(f"role_{d.role}", d.role),
        "expires": _expires(d.expires_at, brand.locale),
    }
    link = _link(ctx, d.url, INVITATION_PURPOSE, d.link_id)
    await _send(
        event,
        tx,
        ctx,
        template="invitation",
        to=d.email,
        tenant_id=d.tenant_id,
        brand=brand,
        values=values,
        link=link,
    )
