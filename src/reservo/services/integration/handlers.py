"""Events the integration service turns into TikTok conversions, for tenants that configured it.

- analytics.browser_event (published only with marketing consent): ViewContent, InitiateCheckout,
  with the browser's event_id; with a booking id it also attributes that booking to the visitor.
- booking.created: PlaceAnOrder (event_id `<booking>-placed`); payment.succeeded: CompletePayment
  (event_id `<booking>-paid`); the storefront's pixel uses the same ids.
- user.erased: forget the person's hashes, attributions and browser context.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from reservo.contracts.events.analytics import BrowserEventCollected
from reservo.contracts.events.booking import BookingCreated
from reservo.contracts.events.payment import PaymentSucceeded
from reservo.contracts.events.user import UserErased
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.integration import tiktok
from reservo.services.integration.repository import IntegrationRepository, erase_person
from reservo.services.integration.service import DELIVER_JOB
from reservo.services.integration.settings import IntegrationSettings

BROWSER_EVENTS = {"view_content": "ViewContent", "initiate_checkout": "InitiateCheckout"}


async def _forwarding(tx: Transaction, repo: IntegrationRepository, tenant_id: uuid.UUID) -> bool:
    """Whether the tenant forwards events to TikTok; read once per transaction (a consumer batch)."""
    account = await tx.cached(("tiktok_account", tenant_id), repo.account)
    return account is not None and account.enabled


def _after_attribution(ctx: ServiceContext) -> datetime:
    return ctx.clock.now() + timedelta(seconds=ctx.settings_of(IntegrationSettings).attribution_wait_seconds)


def _queued(tx: Transaction, ctx: ServiceContext) -> None:
    tx.after_commit(lambda: ctx.wake(DELIVER_JOB))


async def on_browser_event(
    event: Envelope[BrowserEventCollected], tx: Transaction, ctx: ServiceContext
) -> None:
    e = event.data
    repo = IntegrationRepository(tx.session, tenant_id=e.tenant_id)
    if not await _forwarding(tx, repo, e.tenant_id):
        return
    if e.booking_id is not None:
        await repo.save_attribution(
            {
                "booking_id": e.booking_id,
                "user_id": e.user_id,
                "ttclid": e.ttclid,
                "ip": e.ip,
                "user_agent": e.user_agent,
                "updated_at": e.occurred_at,
            }
        )
    name = BROWSER_EVENTS.get(e.kind)
    if name is None:
        return  # page views are counted by analytics, not forwarded
    properties: dict[str, Any] = {}
    if e.offering_id is not None:
        properties = {"content_type": "product", "contents": [{"content_id": str(e.offering_id)}]}
    context = {
        "ttclid": e.ttclid,
        "ip": e.ip,
        "user_agent": e.user_agent,
        "url": e.url,
        "referrer": e.referrer,
    }
    queued = await repo.queue(
        {
            "event": name,
            "event_id": e.event_id,
            "event_time": e.occurred_at,
            "booking_id": e.booking_id,
            "user_id": e.user_id,
            "properties": properties,
            "context": {k: v for k, v in context.items() if v},
            "status": "pending",
            "next_attempt_at": ctx.clock.now(),
            "created_at": event.occurred_at,
            "log": [],
        }
    )
    if queued:
        _queued(tx, ctx)


async def on_booking_created(event: Envelope[BookingCreated], tx: Transaction, ctx: ServiceContext) -> None:
    b = event.data
    repo = IntegrationRepository(tx.session, tenant_id=b.tenant_id)
    if not await _forwarding(tx, repo, b.tenant_id):
        return
    await repo.save_contact(
        {
            "booking_id": b.id,
            "customer_user_id": b.customer_user_id,
            "email_hash": tiktok.hash_email(b.customer.email),
            "phone_hash": tiktok.hash_phone(b.customer.phone) if b.customer.phone else None,
            "external_id_hash": tiktok.sha256(str(b.customer_user_id)) if b.customer_user_id else None,
            "offering_id": b.offering_id,
            "offering_name": b.offering_name[:200],
            "quantity": b.quantity,
            "total": b.total.amount,
            "currency": b.total.currency,
        }
    )
    if await repo.queue(
        {
            "event": "PlaceAnOrder",
            "event_id": f"{b.id}-placed",
            "event_time": b.created_at,
            "booking_id": b.id,
            "user_id": b.customer_user_id,
            "properties": {
                "currency": b.total.currency,
                "value": tiktok.value_of(b.total.amount, b.total.currency),
            },
            "context": {},
            "status": "pending",
            "next_attempt_at": ctx.clock.now(),
            "created_at": event.occurred_at,
            "log": [],
        }
    ):
        _queued(tx, ctx)


async def on_payment_succeeded(
    event: Envelope[PaymentSucceeded], tx: Transaction, ctx: ServiceContext
) -> None:
    p = event.data
    repo = IntegrationRepository(tx.session, tenant_id=p.tenant_id)
    if not await _forwarding(tx, repo, p.tenant_id):
        return
    if await repo.queue(
        {
            "event": "CompletePayment",
            "event_id": f"{p.booking_id}-paid",
            "event_time": p.succeeded_at,
            "booking_id": p.booking_id,
            "user_id": None,
            "properties": {
                "currency": p.amount.currency,
                "value": tiktok.value_of(p.amount.amount, p.amount.currency),
            },
            "context": {},
            "status": "pending",
            "next_attempt_at": _after_attribution(ctx),
            "created_at": event.occurred_at,
            "log": [],
        }
    ):
        _queued(tx, ctx)


async def on_user_erased(event: Envelope[UserErased], tx: Transaction, ctx: ServiceContext) -> None:
    await erase_person(tx.session, event.data.user_id, tiktok.hash_email(event.data.email))


HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    "analytics.browser_event": on_browser_event,
    "booking.created": on_booking_created,
    "payment.succeeded": on_payment_succeeded,
    "user.erased": on_user_erased,
}
