"""The integration service: TikTok settings, queueing conversion events, and delivering them."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import structlog
from sqlalchemy import update

from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.secretbox import SecretBox
from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.integration import tiktok
from reservo.services.integration.errors import AccessTokenRequired, TikTokNotConfigured
from reservo.services.integration.models import Delivery, TikTokAccount
from reservo.services.integration.repository import IntegrationRepository, claim, due
from reservo.services.integration.schemas import Breaker, TikTokSettingsIn, TikTokSettingsOut
from reservo.services.integration.settings import IntegrationSettings

log = structlog.get_logger(__name__)

DELIVER_JOB = "deliver"


def token_box(ctx: ServiceContext, settings: IntegrationSettings) -> SecretBox:
    key = settings.encryption_key
    return SecretBox(
        key.get_secret_value() if key else None,
        ctx.settings.secret_key.get_secret_value(),
        "reservo.integration.tokens",
        "the access token",
    )


def breaker_of(account: TikTokAccount, now: datetime, threshold: int) -> Breaker:
    if account.open_until is not None and account.open_until > now:
        state = "open"
    elif account.failures >= threshold:
        state = "half_open"  # the cooldown is over: the next call decides
    else:
        state = "closed"
    return Breaker(state=state, failures=account.failures, open_until=account.open_until)


class IntegrationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self.settings = ctx.settings_of(IntegrationSettings)
        self._box = token_box(ctx, self.settings)

    def _read(self, account: TikTokAccount) -> TikTokSettingsOut:
        return TikTokSettingsOut(
            pixel_code=account.pixel_code,
            test_event_code=account.test_event_code,
            enabled=account.enabled,
            access_token_hint=account.token_hint,
            breaker=breaker_of(account, self._ctx.clock.now(), self.settings.breaker_threshold),
        )

    async def get_settings(self, tenant: TenantRef) -> TikTokSettingsOut:
        async with self._ctx.uow.read() as session:
            account = await IntegrationRepository(session, tenant_id=tenant.id).account()
        if account is None:
            raise TikTokNotConfigured()
        return self._read(account)

    async def put_settings(self, tenant: TenantRef, body: TikTokSettingsIn) -> TikTokSettingsOut:
        async with self._ctx.uow.transaction() as tx:
            repo = IntegrationRepository(tx.session, tenant_id=tenant.id)
            account = await repo.account()
            values: dict[str, Any] = {
                "pixel_code": body.pixel_code,
                "test_event_code": body.test_event_code or None,
                "enabled": body.enabled,
                "updated_at": self._ctx.clock.now(),
            }
            if body.access_token:
                values["sealed_token"] = self._box.seal(body.access_token)
                values["token_hint"] = body.access_token[-4:]
            elif account is None:
                raise AccessTokenRequired()
            if account is None:
                values |= {"failures": 0, "open_until": None}
            await repo.save_account(values, exists=account is not None)
            tx.session.expire_all()
            saved = await repo.account()
        assert saved is not None
        return self._read(saved)

    async def delete_settings(self, tenant: TenantRef) -> None:
        async with self._ctx.uow.transaction() as tx:
            if not await IntegrationRepository(tx.session, tenant_id=tenant.id).delete_account():
                raise TikTokNotConfigured()

    async def deliveries(
        self, tenant: TenantRef, page: PageParams, status: str | None
    ) -> tuple[list[Delivery], str | None]:
        async with self._ctx.uow.read() as session:
            items = await IntegrationRepository(session, tenant_id=tenant.id).deliveries(
                page.limit + 1, page.cursor, status
            )
        cursor = None
        if len(items) > page.limit:
            items = items[: page.limit]
            cursor = encode_cursor(items[-1].created_at, items[-1].id)
        return items, cursor


# -- delivering ------------------------------------------------------------------------------------


async def _event_payload(repo: IntegrationRepository, d: Delivery) -> dict[str, Any]:
    """The `data[]` item TikTok wants. User data only where the visitor consented: a browser event's
    own context, or a booking with an attribution (made by a consenting visitor)."""
    user: dict[str, Any] = {}
    context = dict(d.context)
    properties = dict(d.properties)
    if d.booking_id is not None:
        contact = await repo.contact(d.booking_id)
        attribution = await repo.attribution(d.booking_id)
        if attribution is not None:
            context = {
                "ttclid": context.get("ttclid") or attribution.ttclid,
                "ip": context.get("ip") or attribution.ip,
                "user_agent": context.get("user_agent") or attribution.user_agent,
                **{k: v for k, v in context.items() if k in ("url", "referrer")},
            }
            if contact is not None:
                user |= {"email": contact.email_hash}
                if contact.phone_hash:
                    user["phone"] = contact.phone_hash
                if contact.external_id_hash:
                    user["external_id"] = contact.external_id_hash
        if contact is not None and "contents" not in properties:
            properties |= {
                "content_type": "product",
                "order_id": str(d.booking_id),
                "contents": [
                    {
                        "content_id": str(contact.offering_id),
                        "content_name": contact.offering_name,
                        "quantity": contact.quantity,
                    }
                ],
            }
            properties.setdefault("currency", contact.currency)
            properties.setdefault("value", tiktok.value_of(contact.total, contact.currency))
    for key in ("ttclid", "ip", "user_agent"):
        if context.get(key):
            user[key] = context[key]
    event: dict[str, Any] = {
        "event": d.event,
        "event_time": int(d.event_time.timestamp()),
        "event_id": d.event_id,
        "user": user,
        "properties": properties,
    }
    if context.get("url"):
        event["page"] = {
            "url": context["url"],
            **({"referrer": context["referrer"]} if context.get("referrer") else {}),
        }
    return event


def _backoff(settings: IntegrationSettings, attempts: int) -> timedelta:
    seconds = min(settings.backoff_base_seconds * 2 ** (attempts - 1), settings.backoff_max_seconds)
    return timedelta(seconds=seconds)


async def _deliver_one(
    ctx: ServiceContext, settings: IntegrationSettings, client: httpx.AsyncClient, d: Delivery
) -> bool | None:
    """One attempt: True delivered, False failed (to be retried or given up), None not attempted."""
    now = ctx.clock.now()
    box = token_box(ctx, settings)
    async with ctx.uow.transaction() as tx:
        repo = IntegrationRepository(tx.session, tenant_id=d.tenant_id)
        account = await repo.account()
        problem = None
        if account is None or not account.enabled:
            problem = "TikTok settings removed or disabled"
        else:
            try:
                token = box.open(account.sealed_token)
            except ValueError:  # the encryption key changed: the owner must enter the token again
                problem = "the stored access token cannot be decrypted; save it again"
        if account is None or problem is not None:
            await tx.session.execute(
                update(Delivery)
                .where(Delivery.id == d.id)
                .values(status="failed", last_error=problem, lease_until=None)
            )
            return False
        if account.open_until is not None and account.open_until > now:
            return None  # the tenant's breaker is open: wait, without counting an attempt
        lease = now + timedelta(seconds=settings.tiktok_timeout_seconds * 3)
        if not await claim(tx.session, d, now, lease):
            return None
        body = tiktok.body_for(account.pixel_code, account.test_event_code, await _event_payload(repo, d))
    outcome = await tiktok.send(client, settings.tiktok_api_base, token, body)
    at = ctx.clock.now()
    async with ctx.uow.transaction() as tx:
        repo = IntegrationRepository(tx.session, tenant_id=d.tenant_id)
        row = await tx.session.get(Delivery, d.id, with_for_update=True)
        account = await repo.account()
        if row is None:
            return None
        row.attempts += 1
        entry = {"at": at.isoformat(), "ok": outcome.delivered, "detail": outcome.detail}
        if outcome.status_code is not None:
            entry["http_status"] = outcome.status_code
        if outcome.code is not None:
            entry["code"] = outcome.code
        row.log = [*row.log, entry][-20:]
        row.lease_until = None
        if outcome.delivered:
            row.status, row.delivered_at, row.last_error = "delivered", at, None
            if account is not None:
                account.failures, account.open_until = 0, None
        else:
            row.last_error = outcome.detail[:500]
            if outcome.retryable and row.attempts < settings.max_attempts:
                row.status, row.next_attempt_at = "pending", at + _backoff(settings, row.attempts)
            else:
                row.status = "failed"
            if account is not None:
                account.failures += 1
                if account.failures >= settings.breaker_threshold:
                    account.open_until = at + timedelta(seconds=settings.breaker_cooldown_seconds)
                    log.warning(
                        "integration.breaker_open", tenant_id=str(d.tenant_id), failures=account.failures
                    )
    return outcome.delivered


async def deliver(ctx: ServiceContext) -> int:
    """Send what is due, oldest first; returns how many were delivered."""
    settings = ctx.settings_of(IntegrationSettings)
    async with ctx.uow.read() as session:
        batch = await due(session, ctx.clock.now(), settings.deliver_batch)
    if not batch:
        return 0
    delivered = 0
    skipped: set[uuid.UUID] = set()  # tenants whose breaker opened during this round
    async with httpx.AsyncClient(timeout=settings.tiktok_timeout_seconds) as client:
        for d in batch:
            if d.tenant_id in skipped:
                continue
            result = await _deliver_one(ctx, settings, client, d)
            if result:
                delivered += 1
            elif result is None:
                skipped.add(d.tenant_id)
            elif result is False:
                skipped.add(d.tenant_id)  # one failure per tenant per round; the backoff decides the next
    return delivered


async def _deliver_job(ctx: ServiceContext) -> int:
    return await deliver(ctx)


DELIVER = PeriodicJob(
    name=DELIVER_JOB, every_seconds=IntegrationSettings().deliver_every_seconds, run=_deliver_job
)
