"""Payment use cases: settings, create (one open payment per booking), the test card flow, refunds.

Provider calls happen outside database transactions (a slow provider must not hold SQLite's writer);
what makes them safe to repeat is the idempotency key derived from our own row: a retry after a
timeout asks the provider with the same key and gets the same intent or refund back.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError

from reservo.contracts.booking import EARNING
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.links import link_token, link_token_ok
from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.payment.crypto import SecretBox
from reservo.services.payment.errors import (
    AlreadyPaid,
    AuthenticationLinkInvalid,
    BookingNotFound,
    BookingNotPayable,
    CurrencyMismatch,
    NotTestProvider,
    PaymentNotFound,
    PaymentNotOpen,
    ProviderNotConfigured,
    StaffOnly,
)
from reservo.services.payment.ledger import audit, fail, refunded, request_refund, succeed
from reservo.services.payment.lookup import BookingFacts, BookingLookup
from reservo.services.payment.metrics import ATTEMPTS
from reservo.services.payment.models import OPEN_STATUSES, PAID_STATUSES, Payment, PaymentEvent, Refund
from reservo.services.payment.providers import PROVIDERS
from reservo.services.payment.providers.base import (
    Intent,
    Order,
    PaymentProvider,
    ProviderUnavailable,
    RefundResult,
)
from reservo.services.payment.providers.test import card_outcome
from reservo.services.payment.repository import PaymentIndex, PaymentRepository
from reservo.services.payment.schemas import PaymentSettingsPut, RefundCreate
from reservo.services.payment.settings import PaymentSettings

log = structlog.get_logger(__name__)
GUEST = "booking.guest"
TEST_AUTH = "payment.test_authentication"


@dataclass(frozen=True, slots=True)
class Caller:
    actor: Actor | None
    booking_token: str | None
    credentials: dict[str, str]  # forwarded to booking on a replica miss


def is_staff(actor: Actor | None, slug: str | None) -> bool:
    return actor is not None and (
        actor.is_admin or (slug is not None and actor.role_in(slug) in (Role.staff, Role.owner))
    )


class PaymentService:
    def __init__(self, ctx: ServiceContext, lookup: BookingLookup | None = None) -> None:
        self._ctx = ctx
        self._settings = self.settings = ctx.settings_of(PaymentSettings)
        self._lookup = lookup
        key = self._settings.encryption_key
        self._box = SecretBox(
            key.get_secret_value() if key else None, ctx.settings.secret_key.get_secret_value()
        )

    # settings -----------------------------------------------------------------------------
    async def put_settings(self, tenant: TenantRef, body: PaymentSettingsPut) -> dict[str, Any]:
        public: dict[str, Any] = {
            k: v for k, v in (("publishable_key", body.publishable_key), ("client_id", body.client_id)) if v
        }
        secrets = body.secrets()
        public["configured"] = sorted(secrets)
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=tenant.id)
            await repo.save_account(
                body.provider, public, self._box.seal(secrets) if secrets else None, self._ctx.clock.now()
            )
            audit(
                repo,
                None,
                "settings",
                "payment_settings.updated",
                "ok",
                self._ctx.clock.now(),
                {"provider": body.provider},
            )
        return {"provider": body.provider, **public}

    async def get_settings(self, tenant: TenantRef) -> dict[str, Any]:
        async with self._ctx.uow.read() as session:
            account = await PaymentRepository(session, tenant_id=tenant.id).account()
        if account is None:
            return {"provider": "test", "configured": []}
        return {"provider": account.provider, **account.public}

    async def public_values(self, payment: Payment) -> dict[str, Any]:
        """The tenant's public provider values (publishable key, client id) for the browser's
        provider script, when they belong to the payment's provider."""
        if payment.provider == "test":
            return {}
        async with self._ctx.uow.read() as session:
            account = await PaymentRepository(session, tenant_id=payment.tenant_id).account()
        return dict(account.public) if account and account.provider == payment.provider else {}

    async def provider_for(self, repo: PaymentRepository, name: str | None = None) -> PaymentProvider:
        account = await repo.account()
        provider = name or (account.provider if account else "test")
        if provider != "test" and (account is None or account.provider != provider):
            raise ProviderNotConfigured(f"The tenant no longer has {provider} credentials configured")
        secrets = (
            self._box.open(account.sealed)
            if account and account.sealed and account.provider == provider
            else {}
        )
        return PROVIDERS[provider](secrets, self._settings, self._ctx.settings.public_url)

    async def secrets_of(self, repo: PaymentRepository) -> dict[str, Any]:
        account = await repo.account()
        return self._box.open(account.sealed) if account and account.sealed else {}

    # create -------------------------------------------------------------------------------
    async def create(self, caller: Caller, booking_id: uuid.UUID) -> tuple[Payment, bool]:
        facts = await self._booking(caller, booking_id)
        try:
            payment, created = await self._open_or_new(caller, facts)
        except IntegrityError:  # a concurrent request opened one first (unique open payment per booking)
            payment, created = await self._open_or_new(caller, facts)
        if created is False and payment.provider_reference is not None:
            return payment, False
        return await self._ensure_intent(payment, facts), created

    async def _open_or_new(self, caller: Caller, facts: BookingFacts) -> tuple[Payment, bool]:
        booking_id = facts.id
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=facts.tenant_id)
            if not self._may_pay(facts, caller, await repo.tenant_slug()):
                raise BookingNotFound(f"No booking {booking_id}")
            if (open_ := await repo.open_for(booking_id)) is not None:
                payment, created = open_, False
            elif await repo.paid_for(booking_id) is not None or facts.status in EARNING:
                raise AlreadyPaid()
            elif facts.status != "pending":
                raise BookingNotPayable(f"The booking is {facts.status}")
            else:
                account = await repo.account()
                now = self._ctx.clock.now()
                payment = Payment(
                    id=uuid.uuid4(),
                    booking_id=booking_id,
                    provider=account.provider if account else "test",
                    status="requires_payment_method",
                    amount=facts.amount,
                    currency=facts.currency,
                    refunded_amount=0,
                    refund_pending_amount=0,
                    created_at=now,
                    updated_at=now,
                    version=1,
                )
                repo.add(payment)
                created = True
        return payment, created

    async def _booking(self, caller: Caller, booking_id: uuid.UUID) -> BookingFacts:
        async with self._ctx.uow.read() as session:
            tenant_id = await PaymentIndex(session).booking_tenant(booking_id)
            replica = (
                None
                if tenant_id is None
                else await PaymentRepository(session, tenant_id=tenant_id).booking(booking_id)
            )
        if replica is not None:
            return BookingFacts(
                replica.id,
                replica.tenant_id,
                replica.status,
                replica.amount,
                replica.currency,
                replica.customer_user_id,
                replica.customer_email,
                replica.description,
                replica.expires_at,
                replica.booking_version,
            )
        # Read-your-writes: booked a moment ago, its event has not arrived yet. Ask booking.
        facts = None if self._lookup is None else await self._lookup.find(booking_id, caller.credentials)
        if facts is None:
            raise BookingNotFound(f"No booking {booking_id}")
        async with self._ctx.uow.transaction() as tx:
            await PaymentRepository(tx.session, tenant_id=facts.tenant_id).upsert_booking(
                replica_values(facts)
            )
        return facts

    def _may_pay(self, facts: BookingFacts, caller: Caller, slug: str | None) -> bool:
        """The booking's customer, whoever holds its guest credential, or the tenant's staff."""
        if caller.booking_token and link_token_ok(self._secret, GUEST, facts.id, caller.booking_token):
            return True
        actor = caller.actor
        if (
            actor is not None
            and facts.customer_user_id is not None
            and actor.user_id == facts.customer_user_id
        ):
            return True
        return is_staff(actor, slug)

    @property
    def _secret(self) -> str:
        return self._ctx.settings.secret_key.get_secret_value()

    async def _ensure_intent(self, payment: Payment, facts: BookingFacts) -> Payment:
        """Ask the provider for the intent, keyed by our payment id: after a timeout, the retry of
        POST /payments finds this open payment and asks again with the same key (no second intent)."""
        order = Order(
            payment.id,
            payment.tenant_id,
            payment.booking_id,
            payment.amount,
            payment.currency,
            facts.description,
            facts.customer_email,
        )
        async with self._ctx.uow.read() as session:
            provider = await self.provider_for(
                PaymentRepository(session, tenant_id=payment.tenant_id), payment.provider
            )
        ATTEMPTS.labels(payment.provider).inc()
        try:
            intent = await provider.create(order, f"payment-{payment.id}")
        except Exception as exc:
            await self._audit(
                payment, "create_intent", "error", {"error": type(exc).__name__, "detail": str(exc)[:200]}
            )
            raise
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=payment.tenant_id)
            values = intent_values(intent)
            await repo.move(payment.id, OPEN_STATUSES, updated_at=now, **values)
            audit(repo, payment.id, payment.provider, "create_intent", "ok", now, intent.raw, None)
        for key, value in values.items():
            setattr(payment, key, value)
        return payment

    async def _audit(self, payment: Payment, kind: str, outcome: str, detail: dict[str, Any]) -> None:
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=payment.tenant_id)
            audit(repo, payment.id, payment.provider, kind, outcome, self._ctx.clock.now(), detail)

    # read ---------------------------------------------------------------------------------
    async def get(self, caller: Caller, payment_id: uuid.UUID) -> Payment:
        payment, _ = await self._visible(caller, payment_id)
        return payment

    async def _visible(self, caller: Caller, payment_id: uuid.UUID) -> tuple[Payment, str | None]:
        async with self._ctx.uow.read() as session:
            tenant_id = await PaymentIndex(session).tenant_of(payment_id)
            repo = PaymentRepository(session, tenant_id=tenant_id or uuid.UUID(int=0))
            payment = await repo.get(payment_id)
            replica = None if payment is None else await repo.booking(payment.booking_id)
            slug = await repo.tenant_slug()
        if payment is None:
            raise PaymentNotFound(f"No payment {payment_id}")
        facts_ok = (
            (
                caller.booking_token
                and link_token_ok(self._secret, GUEST, payment.booking_id, caller.booking_token)
            )
            or (
                caller.actor is not None
                and replica is not None
                and replica.customer_user_id == caller.actor.user_id
            )
            or is_staff(caller.actor, slug)
        )
        if not facts_ok:
            raise PaymentNotFound(f"No payment {payment_id}")
        return payment, slug

    async def page(
        self, tenant: TenantRef, page: PageParams, status: str | None, booking_id: uuid.UUID | None = None
    ) -> tuple[list[Payment], str | None]:
        after = (page.cursor.at, page.cursor.id) if page.cursor else None  # decoded by the platform's codec
        async with self._ctx.uow.read() as session:
            items = await PaymentRepository(session, tenant_id=tenant.id).page(
                limit=page.limit + 1, after=after, status=status, booking_id=booking_id
            )
        cursor = None
        if len(items) > page.limit:
            items = items[: page.limit]
            cursor = encode_cursor(items[-1].created_at, items[-1].id)
        return items, cursor

    async def events(self, caller: Caller, payment_id: uuid.UUID) -> list[PaymentEvent]:
        payment, slug = await self._visible(caller, payment_id)
        if not is_staff(caller.actor, slug):
            raise StaffOnly()
        async with self._ctx.uow.read() as session:
            return await PaymentRepository(session, tenant_id=payment.tenant_id).events(payment_id)

    # test provider ------------------------------------------------------------------------
    async def confirm_card(self, caller: Caller, payment_id: uuid.UUID, card_number: str) -> Payment:
        payment, _ = await self._visible(caller, payment_id)
        if payment.provider != "test":
            raise NotTestProvider()
        if payment.status != "requires_payment_method":
            raise PaymentNotOpen(f"The payment is {payment.status}")
        outcome = card_outcome(card_number)
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=payment.tenant_id)
            audit(
                repo,
                payment.id,
                "test",
                "confirm",
                outcome.status,
                now,
                {"card_last4": card_number[-4:], "failure_code": outcome.failure_code},
            )
            if outcome.status == "succeeded":
                await succeed(tx, repo, payment, now, method=outcome.method or "card")
            elif outcome.status == "failed":
                await fail(
                    tx,
                    repo,
                    payment,
                    now,
                    code=outcome.failure_code or "card_declined",
                    message=outcome.failure_message,
                )
            else:
                token = link_token(self._secret, TEST_AUTH, payment.id)
                base = self._ctx.settings.public_url.rstrip("/")
                url = f"{base}/api/v1/payments/{payment.id}/authenticate?token={token}"
                action = {"type": "redirect_to_url", "url": url}
                if await repo.move(
                    payment.id,
                    ("requires_payment_method",),
                    status="requires_action",
                    next_action=action,
                    method=outcome.method,
                    updated_at=now,
                ):
                    payment.status, payment.next_action = "requires_action", action
        return payment

    async def authenticate_view(self, payment_id: uuid.UUID, token: str) -> Payment:
        if not link_token_ok(self._secret, TEST_AUTH, payment_id, token):
            raise AuthenticationLinkInvalid()
        async with self._ctx.uow.read() as session:
            tenant_id = await PaymentIndex(session).tenant_of(payment_id)
            payment = (
                None
                if tenant_id is None
                else await PaymentRepository(session, tenant_id=tenant_id).get(payment_id)
            )
        if payment is None:
            raise PaymentNotFound()
        return payment

    async def authenticate(self, payment_id: uuid.UUID, token: str, approve: bool) -> Payment:
        """The customer's answer on the test provider's authentication page."""
        if not link_token_ok(self._secret, TEST_AUTH, payment_id, token):
            raise AuthenticationLinkInvalid()
        async with self._ctx.uow.read() as session:
            tenant_id = await PaymentIndex(session).tenant_of(payment_id)
        if tenant_id is None:
            raise PaymentNotFound()
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=tenant_id)
            payment = await repo.get(payment_id)
            assert payment is not None
            if payment.status != "requires_action":
                return payment
            audit(repo, payment.id, "test", "authentication", "approved" if approve else "refused", now)
            if approve:
                await succeed(tx, repo, payment, now, method=payment.method or "card")
            else:
                await fail(
                    tx,
                    repo,
                    payment,
                    now,
                    code="payment_intent_authentication_failure",
                    message="The customer did not approve the payment.",
                )
        return payment

    # refunds ------------------------------------------------------------------------------
    async def refund_by_staff(
        self, caller: Caller, payment_id: uuid.UUID, body: RefundCreate, idempotency_key: str | None
    ) -> Refund:
        payment, slug = await self._visible(caller, payment_id)
        if not is_staff(caller.actor, slug):
            raise StaffOnly()
        amount = body.amount.amount if body.amount else None
        if body.amount is not None and body.amount.currency != payment.currency:
            raise CurrencyMismatch(f"The payment is in {payment.currency}")
        cause = None
        if idempotency_key:
            who = caller.actor.user_id if caller.actor else "anon"
            cause = (
                "api:"
                + hashlib.sha256(f"{who}\x00{payment_id}\x00{idempotency_key}".encode()).hexdigest()[:40]
            )
        return await self.refund(payment.tenant_id, payment_id, amount, body.reason, cause)

    async def refund(
        self,
        tenant_id: uuid.UUID,
        payment_id: uuid.UUID,
        amount: int | None,
        reason: str | None,
        cause: str | None,
    ) -> Refund:
        """Refund `amount` (None: all that is left), then ask the provider. The same `cause` refunds once."""
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=tenant_id)
            refund = await request_refund(repo, payment_id, amount, reason, cause, self._ctx.clock.now())
        if refund.status != "requested":
            return refund
        return await self.execute_refund(tenant_id, refund.id)

    async def execute_refund(self, tenant_id: uuid.UUID, refund_id: uuid.UUID) -> Refund:
        """Ask the provider for a requested refund, keyed by the refund's id: a timeout leaves it
        requested and the refunds job asks again with the same key, so money moves once."""
        async with self._ctx.uow.read() as session:
            repo = PaymentRepository(session, tenant_id=tenant_id)
            refund = await repo.refund(refund_id)
            payment = None if refund is None else await repo.get(refund.payment_id)
            provider = None if payment is None else await self.provider_for(repo, payment.provider)
        assert refund is not None and payment is not None and provider is not None
        if refund.status != "requested":
            return refund
        try:
            result = await provider.refund(
                intent_of_row(payment), refund.amount, refund.currency, f"refund-{refund.id}", refund.reason
            )
        except ProviderUnavailable as exc:
            await self._audit(
                payment, "refund", "timeout", {"refund_id": str(refund.id), "error": str(exc)[:200]}
            )
            return refund  # still requested: the refunds job retries with the same key
        except Exception as exc:
            result = RefundResult(None, "failed", getattr(exc, "code", type(exc).__name__))
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=tenant_id)
            row = await repo.refund(refund_id, lock=True)
            fresh = await repo.get(payment.id)
            assert row is not None and fresh is not None
            if row.status != "requested":
                return row  # another worker finished it meanwhile
            row.provider_reference = result.reference
            audit(
                repo,
                payment.id,
                payment.provider,
                "refund",
                result.status,
                now,
                {
                    "amount": row.amount,
                    "refund_id": str(row.id),
                    "reference": result.reference,
                    "failure_code": result.failure_code,
                },
            )
            if result.status == "succeeded":
                await refunded(tx, repo, fresh, row, now, reserved=True)
            elif result.status == "failed":
                row.status = "failed"
                await repo.settle_refund(payment.id, row.amount, succeeded=False, reserved=True, now=now)
            else:
                row.status = "pending"  # the provider finishes it later; its webhook tells us
        return row


def intent_values(intent: Intent) -> dict[str, Any]:
    values: dict[str, Any] = {"provider_reference": intent.reference, "status": intent.status}
    for name in ("client_secret", "approval_url", "next_action", "capture_reference"):
        if getattr(intent, name) is not None:
            values[name] = getattr(intent, name)
    if intent.status not in OPEN_STATUSES:  # only webhooks/ledger move a payment out of the open states
        values["status"] = "processing"
    return values


def intent_of_row(p: Payment) -> Intent:
    return Intent(reference=p.provider_reference, status=p.status, capture_reference=p.capture_reference)


def replica_values(f: BookingFacts) -> dict[str, Any]:
    return {
        "id": f.id,
        "status": f.status,
        "amount": f.amount,
        "currency": f.currency,
        "customer_user_id": f.customer_user_id,
        "customer_email": f.customer_email,
        "description": f.description[:200],
        "expires_at": f.expires_at,
        "booking_version": f.version,
    }


__all__ = ["PAID_STATUSES", "Caller", "PaymentService"]
