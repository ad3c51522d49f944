"""Events notification consumes: each one queues an email (or schedules a reminder); jobs deliver them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from reservo.contracts.events.booking import GUEST_TOKEN_PURPOSE, BookingCreated, BookingEvent
from reservo.contracts.events.notification import EmailUndeliverable
from reservo.contracts.events.payment import PaymentFailed
from reservo.contracts.events.receipt import ReceiptGenerated
from reservo.contracts.events.user import (
    TenantCreated,
)
from reservo.platform.auth.links import link_token
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import on_tenant_changed
from reservo.services.notification.delivery import send_now
from reservo.services.notification.erasure import on_user_erased
from reservo.services.notification.messages import WORDS, language
from reservo.services.notification.models import LOCATIONS
from reservo.services.notification.repository import MessageRepository, Replicas
from reservo.services.notification.settings import NotificationSettings
from reservo.services.notification.templates import (
    Branding,
    Rendered,
    compose,
    local_time,
    money,
    plain,
)

# Account emails belong to no tenant; the emails table requires one, so they use the nil UUID.
PLATFORM_TENANT = uuid.UUID(int=0)


class NotYetKnown(LookupError):
    """A replica this message needs has not arrived yet: the consumer retries with backoff."""


async def _insert_email(tx: Transaction, ctx: ServiceContext, values: dict[str, Any]) -> None:
    now = ctx.clock.now()
    row = {"status": "queued", "attempts": 0, "created_at": now, "updated_at": now, **values}
    MessageRepository(tx.session).queue_email(tx, row)
    tx.after_commit(lambda: ctx.wake("send_emails"))


async def queue_message(
    tx: Transaction,
    ctx: ServiceContext,
    *,
    email_id: uuid.UUID,
    source: uuid.UUID,
    template: str,
    tenant_id: uuid.UUID,
    to: str,
    rendered: Rendered,
    attachments: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    await _insert_email(
        tx,
        ctx,
        {
            "id": email_id,
            "tenant_id": tenant_id,
            "template": template,
            "to": to,
            "subject": rendered.subject,
            "body": rendered.text,
            "html": rendered.html,
            "attachments": attachments or [],
            "headers": headers or {},
            "source_event_id": source,
        },
    )


# --- replicas ---------------------------------------------------------------------------------


async def on_tenant(event: Envelope[TenantCreated], tx: Transaction, ctx: ServiceContext) -> None:
    tx.forget()  # what tenant_info read in this transaction is older than this
    await on_tenant_changed(event, tx, ctx)
    d = event.data
    values = {"id": d.id, "locale": d.locale, "branding": dict(d.branding), "updated_at": event.occurred_at}
    await Replicas(tx.session).keep_profile(values)


def _copy(booking: BookingEvent, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": booking.id,
        "tenant_id": booking.tenant_id,
        "booking_version": booking.booking_version,
        "data": data if data is not None else booking.model_dump(mode="json"),
    }


async def _keep_booking(tx: Transaction, booking: BookingEvent) -> None:
    await Replicas(tx.session).keep_bookings([_copy(booking)])


async def booking_data(tx: Transaction, tenant_id: uuid.UUID, booking_id: uuid.UUID) -> dict[str, Any]:
    data = await Replicas(tx.session).booking_data(tenant_id, booking_id)
    if data is None:
        raise NotYetKnown(f"booking {booking_id} not replicated yet")
    return dict(data)


# --- what a booking email says ----------------------------------------------------------------


async def tenant_info(tx: Transaction, tenant_id: uuid.UUID) -> tuple[Any, Branding]:
    """The tenant and its branding, read once per transaction (a consumer batch's emails share it)."""
    return await tx.cached(("tenant_info", tenant_id), lambda: _tenant_info(tx, tenant_id))


async def _tenant_info(tx: Transaction, tenant_id: uuid.UUID) -> tuple[Any, Branding]:
    replicas = Replicas(tx.session)
    tenant = await replicas.tenant(tenant_id)
    if tenant is None:
        raise NotYetKnown(f"tenant {tenant_id} not replicated yet")
    profile = await replicas.profile(tenant_id)
    branding = (profile.branding if profile else None) or {}
    brand = Branding(
        tenant=tenant.name,
        locale=profile.locale if profile else None,
        color=branding.get("primary_color"),
        logo_url=branding.get("logo_url"),
    )
    return tenant, brand


def manage_link(ctx: ServiceContext, slug: str, booking: dict[str, Any]) -> str:
    """`{manage_url}#token=...` for a guest (the fragment never reaches a server log), the bare URL for a
    signed-in customer, who signs in to see it (BRIEF's pinned link rule)."""
    url = f"{ctx.settings.public_url.rstrip('/')}/t/{slug}/bookings/{booking['id']}"
    if booking.get("customer_user_id"):
        return url
    secret = ctx.settings.secret_key.get_secret_value()
    return f"{url}#token={link_token(secret, GUEST_TOKEN_PURPOSE, booking['id'])}"


def booking_values(booking: dict[str, Any], timezone: str, brand: Branding) -> dict[str, Any]:
    def at(value: str | None) -> str:
        return local_time(datetime.fromisoformat(value), timezone, brand.locale) if value else ""

    words = WORDS[language(brand.locale)]
    total = booking["total"]
    refund = booking.get("refund")
    refund_text = money(refund["amount"], refund["currency"], brand.locale) if refund else None
    return {
        "name": booking["customer"]["name"],
        "offering": booking["offering_name"],
        "quantity": booking["quantity"],
        "when_part": f"{words['on']}{at(booking.get('start'))}" if booking.get("start") else "",
        "total": money(total["amount"], total["currency"], brand.locale),
        "expires": at(booking.get("expires_at")),
        "refund_line": words["refund"].format(refund=refund_text) if refund_text else "",
        "where_line": "",
    }


async def _booking_email(
    event: Envelope[Any],
    tx: Transaction,
    ctx: ServiceContext,
    template: str,
    booking: dict[str, Any],
    *,
    extra: dict[str, Any] | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Queue the email; answers the booking's values (`booking_values`) it was written from."""
    tenant_id = uuid.UUID(str(booking["tenant_id"]))
    tenant, brand = await tenant_info(tx, tenant_id)
    base = booking_values(booking, tenant.timezone, brand)
    values = {**base, **(extra or {})}
    offering_id = uuid.UUID(str(booking["offering_id"]))
    place = await tx.cached(
        ("place", tenant_id, offering_id), lambda: LOCATIONS.place_of(tx.session, tenant_id, offering_id)
    )
    if place is not None:
        # The address is the tenant's words (made one inert line); the map link is built by the
        # location service from coordinates and a place id, so it stays a working link.
        where = WORDS[language(brand.locale)]["where"]
        values["where_line"] = where.format(address=plain(place.address, 200), map_url=place.map_url)
    rendered = compose(template, brand, values, link=manage_link(ctx, tenant.slug, booking))
    await queue_message(
        tx,
        ctx,
        email_id=uuid.uuid5(event.id, template),
        source=event.id,
        template=template,
        tenant_id=tenant_id,
        to=booking["customer"]["email"],
        rendered=rendered,
        attachments=attachments,
    )
    return base


# --- reminders --------------------------------------------------------------------------------


async def _schedule(
    tx: Transaction, ctx: ServiceContext, booking: BookingEvent, kind: str, due_at: datetime
) -> None:
    if (values := _reminder(ctx, booking, kind, due_at)) is not None:
        await MessageRepository(tx.session).schedule_reminders([values])


def _reminder(
    ctx: ServiceContext, booking: BookingEvent, kind: str, due_at: datetime
) -> dict[str, Any] | None:
    now = ctx.clock.now()
    if due_at <= now:
        return None  # too late to remind: the moment has passed
    return {
        "id": uuid.uuid5(booking.id, kind),
        "tenant_id": booking.tenant_id,
        "booking_id": booking.id,
        "kind": kind,
        "due_at": due_at,
        "status": "scheduled",
        "created_at": now,
        "updated_at": now,
    }


# --- handlers -----------------------------------------------------------------------------------


async def on_booking_created(event: Envelope[BookingCreated], tx: Transaction, ctx: ServiceContext) -> None:
    await on_bookings_created([event], tx, ctx)


async def on_bookings_created(
    events: list[Envelope[BookingCreated]], tx: Transaction, ctx: ServiceContext
) -> list[dict[str, Any]]:
    """The copies of a run of new bookings in one statement, their hold-expiry reminders in another
    (both one-row upserts run as one executemany, in order); the emails queue at the transaction's
    end anyway. Nothing here reads what another event of the run writes, so this is one by one's
    outcome. Answers each booking's email values (the note to staff reuses them)."""
    hold_warning = timedelta(minutes=ctx.settings_of(NotificationSettings).hold_warning_minutes)
    copies: list[dict[str, Any]] = []
    reminders: list[dict[str, Any]] = []
    made: list[dict[str, Any]] = []
    for event in events:
        b = event.data
        booking = b.model_dump(mode="json")
        copies.append(_copy(b, booking))
        made.append(await _booking_email(event, tx, ctx, "booking_created", booking))
        if (reminder := _reminder(ctx, b, "hold_expiring", b.expires_at - hold_warning)) is not None:
            reminders.append(reminder)
    await Replicas(tx.session).keep_bookings(copies)
    await MessageRepository(tx.session).schedule_reminders(reminders)
    return made


async def on_booking_confirmed(event: Envelope[BookingEvent], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    await _keep_booking(tx, b)
    await MessageRepository(tx.session).cancel_reminders(b.id, ("hold_expiring",))
    if b.start is not None:
        await _schedule(
            tx,
            ctx,
            b,
            "reminder",
            b.start - timedelta(hours=ctx.settings_of(NotificationSettings).reminder_hours),
        )
    # The confirmation itself goes out with the receipt attached (on receipt.generated).


async def on_booking_ended(event: Envelope[BookingEvent], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    await _keep_booking(tx, b)
    await MessageRepository(tx.session).cancel_reminders(b.id, ("hold_expiring", "reminder"))
    template = {"booking.cancelled": "booking_cancelled", "booking.expired": "booking_expired"}.get(
        event.type
    )
    if template is not None:
        await _booking_email(event, tx, ctx, template, b.model_dump(mode="json"))


async def on_payment_failed(event: Envelope[PaymentFailed], tx: Transaction, ctx: ServiceContext) -> None:
    p = event.data
    booking = await booking_data(tx, p.tenant_id, p.booking_id)
    reason = p.failure_message or p.failure_code.replace("_", " ")
    await _booking_email(event, tx, ctx, "payment_failed", booking, extra={"reason": reason})


async def on_receipt_generated(
    event: Envelope[ReceiptGenerated], tx: Transaction, ctx: ServiceContext
) -> None:
    r = event.data
    booking = await booking_data(tx, r.tenant_id, r.booking_id)
    _, brand = await tenant_info(tx, r.tenant_id)
    attachment = {
        "filename": f"{r.number}.pdf",
        "content_type": "application/pdf",
        "storage_key": r.storage_key,
    }
    extra = {"number": r.number, "refund": money(r.total.amount, r.total.currency, brand.locale)}
    template = "booking_confirmed" if r.kind == "receipt" else "refund_issued"
    await _booking_email(event, tx, ctx, template, booking, extra=extra, attachments=[attachment])


async def on_email_undeliverable(
    event: Envelope[EmailUndeliverable], tx: Transaction, ctx: ServiceContext
) -> None:
    """One more try, now: failing, the consumer retries and then dead-letters this event; replaying
    it (after the mail server is back) sends the email, once: a sent email is never sent again."""
    messages = MessageRepository(tx.session)
    email = await messages.email(event.data.id)
    if email is None or email.status == "sent":
        return
    await send_now(ctx, email)
    await messages.emails_sent([(email.id, email.attempts + 1)], ctx.clock.now())


def _link(ctx: ServiceContext, url: str, purpose: str, subject: uuid.UUID) -> str:
    """The emailed link: the event's token-less `url` plus the token derived from the deployment's key,
    in the fragment, which browsers never send to a server (so no access log sees it)."""
    return f"{url}#token={link_token(ctx.settings.secret_key.get_secret_value(), purpose, subject)}"


# Account emails (verification, reset, invitation) and the rest registered beside these: more_handlers.py.
HANDLERS: dict[str, Handler] = {
    **LOCATIONS.handlers,  # where an offering happens (platform/locations.py)
    "user.tenant.created": on_tenant,
    "user.tenant.updated": on_tenant,
    "booking.created": on_booking_created,
    "booking.confirmed": on_booking_confirmed,
    "booking.cancelled": on_booking_ended,
    "booking.expired": on_booking_ended,
    "booking.completed": on_booking_ended,
    "booking.no_show": on_booking_ended,
    "payment.failed": on_payment_failed,
    "receipt.generated": on_receipt_generated,
    "notification.email.undeliverable": on_email_undeliverable,
    "user.erased": on_user_erased,
}
