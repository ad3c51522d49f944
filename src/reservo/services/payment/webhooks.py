"""Provider webhooks: verified with the tenant's own secret, recorded once by provider event id, applied.

The tenant is found from the unverified body (our metadata, or the payment the provider id names);
only the signature made with that tenant's secret makes the body count. A rejected delivery writes
nothing. Duplicates are found by the unique (source, external_id) of the audit row, written in the
same transaction as the change: a redelivery is acknowledged and changes nothing. Deliveries may come
out of order: a refund before the success first records the success it implies.
"""

from __future__ import annotations

import base64
import json
import uuid
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import structlog
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from sqlalchemy.exc import IntegrityError

from reservo.platform.service import ServiceContext
from reservo.services.payment import disputes
from reservo.services.payment.errors import WebhookMalformed, WebhookSignatureInvalid
from reservo.services.payment.ledger import audit, fail, refunded, succeed
from reservo.services.payment.metrics import WEBHOOKS
from reservo.services.payment.models import Payment, Refund
from reservo.services.payment.providers.paypal import from_value
from reservo.services.payment.providers.stripe import intent_of
from reservo.services.payment.repository import PaymentIndex, PaymentRepository
from reservo.services.payment.service import PaymentService

log = structlog.get_logger(__name__)


class Webhooks:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._service = PaymentService(ctx)

    # Stripe -------------------------------------------------------------------------------
    async def stripe(self, body: bytes, signature: str | None) -> str:
        try:
            unverified = json.loads(body)
            obj = unverified["data"]["object"]
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookMalformed() from exc
        payment = await self._stripe_payment(obj)
        if payment is None or signature is None:
            WEBHOOKS.labels("stripe", "rejected").inc()
            raise WebhookSignatureInvalid("No payment of ours, or no signature")
        async with self._ctx.uow.read() as session:
            secret = (
                await self._service.secrets_of(PaymentRepository(session, tenant_id=payment.tenant_id))
            ).get("webhook_secret")
        if not secret:  # an empty secret would verify anything: refuse instead
            raise WebhookSignatureInvalid("Stripe webhooks are not configured for this tenant")
        import stripe  # on first use, see providers/stripe.py

        try:
            stripe.Webhook.construct_event(
                body.decode(), signature, secret, tolerance=self._service.settings.webhook_tolerance_seconds
            )
        except (ValueError, stripe.SignatureVerificationError) as exc:
            WEBHOOKS.labels("stripe", "rejected").inc()
            raise WebhookSignatureInvalid() from exc
        event = unverified  # verified now: the same bytes, as plain JSON
        return await self._once(
            payment, "stripe.webhook", str(event["id"]), str(event["type"]), self._apply_stripe, event
        )

    async def _stripe_payment(self, obj: dict[str, Any]) -> Payment | None:
        kind = obj.get("object")
        reference = obj.get("id") if kind == "payment_intent" else obj.get("payment_intent")
        if not isinstance(reference, str):
            return None
        async with self._ctx.uow.read() as session:
            return await PaymentIndex(session).by_reference("stripe", reference)

    async def _apply_stripe(self, ctx: Any, p: Payment, event: Any) -> str:
        tx, repo, now = ctx
        obj = event["data"]["object"]
        kind = event["type"]
        if kind == "payment_intent.succeeded":
            if obj["amount_received"] != p.amount or obj["currency"].upper() != p.currency:
                return "amount_mismatch"  # never confirms; staff see it in the trail
            return "applied" if await succeed(tx, repo, p, now, method=_stripe_method(obj)) else "no_change"
        if kind == "payment_intent.payment_failed":
            intent = intent_of(obj)
            return (
                "applied"
                if await fail(
                    tx,
                    repo,
                    p,
                    now,
                    code=intent.failure_code or "card_declined",
                    message=intent.failure_message,
                )
                else "no_change"
            )
        if kind == "payment_intent.processing":
            return (
                "applied"
                if await repo.move(
                    p.id, ("requires_payment_method", "requires_action"), status="processing", updated_at=now
                )
                else "no_change"
            )
        if kind == "charge.refunded":
            if p.status not in ("succeeded", "partially_refunded", "refunded"):  # refund before success
                await succeed(tx, repo, p, now, method=_stripe_method(obj))
                p = await repo.get(p.id)
            return await _apply_refunded_total(
                tx, repo, p, int(obj["amount_refunded"]), now, "refunded at Stripe"
            )
        if kind.startswith("charge.dispute."):  # created, updated, closed, funds_withdrawn/reinstated
            return await disputes.record(tx, repo, p, disputes.from_stripe(obj), now)
        return "ignored"

    # PayPal -------------------------------------------------------------------------------
    async def paypal(self, body: bytes, headers: dict[str, str]) -> str:
        try:
            event = json.loads(body)
            resource = event["resource"]
            event_id, kind = str(event["id"]), str(event["event_type"])
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookMalformed() from exc
        payment = await self._paypal_payment(resource)
        if payment is None:
            WEBHOOKS.labels("paypal", "rejected").inc()
            raise WebhookSignatureInvalid("No payment of ours")
        async with self._ctx.uow.read() as session:
            webhook_id = (
                await self._service.secrets_of(PaymentRepository(session, tenant_id=payment.tenant_id))
            ).get("webhook_id")
        if not webhook_id:
            raise WebhookSignatureInvalid("PayPal webhooks are not configured for this tenant")
        await self._verify_paypal(body, headers, str(webhook_id))
        outcome = await self._once(payment, "paypal.webhook", event_id, kind, self._apply_paypal, event)
        if outcome == "approved":
            await self.capture_paypal(payment)
        return outcome

    async def capture_paypal(self, payment: Payment) -> None:
        """The buyer approved: capture now (a failure here is retried by the reconciliation job)."""
        assert payment.provider_reference is not None
        async with self._ctx.uow.read() as session:
            provider = await self._service.provider_for(
                PaymentRepository(session, tenant_id=payment.tenant_id), "paypal"
            )
        intent = await provider.capture(payment.provider_reference, f"capture-{payment.id}")
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=payment.tenant_id)
            fresh = await repo.get(payment.id)
            assert fresh is not None
            audit(repo, payment.id, "paypal", "capture", intent.status, now, intent.raw)
            if intent.status == "succeeded":
                await succeed(
                    tx, repo, fresh, now, method="paypal", capture_reference=intent.capture_reference
                )
            elif intent.status == "failed":
                await fail(tx, repo, fresh, now, code=intent.failure_code or "capture_declined", message=None)

    async def _paypal_payment(self, resource: dict[str, Any]) -> Payment | None:
        custom = resource.get("custom_id")
        async with self._ctx.uow.read() as session:
            index = PaymentIndex(session)
            if (capture := disputes.paypal_capture(resource)) is not None:  # a dispute names the capture
                return await index.by_capture("paypal", capture)
            if isinstance(custom, str):
                try:
                    tenant_id = await index.tenant_of(uuid.UUID(custom))
                except ValueError:
                    tenant_id = None
                if tenant_id is not None:
                    return await PaymentRepository(session, tenant_id=tenant_id).get(uuid.UUID(custom))
            order_id = ((resource.get("supplementary_data") or {}).get("related_ids") or {}).get(
                "order_id"
            ) or resource.get("id")
            return await index.by_reference("paypal", str(order_id)) if order_id else None

    async def _verify_paypal(self, body: bytes, headers: dict[str, str], webhook_id: str) -> None:
        """PayPal's local verification (what its SDKs do): RSA-SHA256 over
        `transmission_id|transmission_time|webhook_id|crc32(body)` with the certificate at PAYPAL-CERT-URL."""
        h = {k.lower(): v for k, v in headers.items()}
        try:
            tid, ttime = h["paypal-transmission-id"], h["paypal-transmission-time"]
            sig, cert_url, algo = (
                h["paypal-transmission-sig"],
                h["paypal-cert-url"],
                h.get("paypal-auth-algo", "SHA256withRSA"),
            )
            sent = datetime.fromisoformat(ttime.replace("Z", "+00:00"))
        except (KeyError, ValueError) as exc:
            raise WebhookSignatureInvalid("Missing or unreadable PayPal transmission headers") from exc
        tolerance = timedelta(seconds=self._service.settings.webhook_tolerance_seconds)
        # Wall-clock time, as Stripe's SDK uses: freshness is about the real world, not a test clock.
        if algo != "SHA256withRSA" or abs(datetime.now(UTC) - sent.astimezone(UTC)) > tolerance:
            WEBHOOKS.labels("paypal", "rejected").inc()
            raise WebhookSignatureInvalid("Unsupported algorithm or stale transmission time")
        if not cert_url.startswith(self._service.settings.paypal_cert_url_prefixes):
            raise WebhookSignatureInvalid("The certificate URL is not PayPal's")
        key = await _paypal_key(cert_url)
        message = f"{tid}|{ttime}|{webhook_id}|{zlib.crc32(body) & 0xFFFFFFFF}".encode()
        try:
            key.verify(base64.b64decode(sig), message, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError) as exc:
            WEBHOOKS.labels("paypal", "rejected").inc()
            raise WebhookSignatureInvalid() from exc

    async def _apply_paypal(self, ctx: Any, p: Payment, event: dict[str, Any]) -> str:
        tx, repo, now = ctx
        kind, r = event["event_type"], event["resource"]
        if kind == "CHECKOUT.ORDER.APPROVED":
            await repo.move(
                p.id, ("requires_action", "requires_payment_method"), status="processing", updated_at=now
            )
            return "approved"
        if kind == "PAYMENT.CAPTURE.COMPLETED":
            amount = r.get("amount") or {}
            if (
                amount.get("currency_code") != p.currency
                or from_value(str(amount.get("value", "0")), p.currency) != p.amount
            ):
                return "amount_mismatch"
            return (
                "applied"
                if await succeed(tx, repo, p, now, method="paypal", capture_reference=r.get("id"))
                else "no_change"
            )
        if kind in ("PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DECLINED"):
            reason = (r.get("status_details") or {}).get("reason", "capture_declined")
            return (
                "applied"
                if await fail(tx, repo, p, now, code=str(reason).lower(), message=None)
                else "no_change"
            )
        if kind.startswith("CUSTOMER.DISPUTE."):  # CREATED, UPDATED, RESOLVED
            return await disputes.record(tx, repo, p, disputes.from_paypal(r), now)
        if kind == "PAYMENT.CAPTURE.REFUNDED":
            if await repo.refund_by_reference(str(r.get("id"))) is not None:
                return "no_change"  # our own refund, already counted
            if p.status not in ("succeeded", "partially_refunded", "refunded"):
                await succeed(tx, repo, p, now, method="paypal")
                p = await repo.get(p.id)
            amount = r.get("amount") or {}
            value = from_value(str(amount.get("value", "0")), p.currency)
            return await _apply_refunded_total(
                tx, repo, p, p.refunded_amount + value, now, "refunded at PayPal"
            )
        return "ignored"

    # both ---------------------------------------------------------------------------------
    async def _once(
        self, payment: Payment, source: str, event_id: str, kind: str, apply: Any, event: Any
    ) -> str:
        now = self._ctx.clock.now()
        provider = source.split(".")[0]
        try:
            async with self._ctx.uow.transaction() as tx:
                repo = PaymentRepository(tx.session, tenant_id=payment.tenant_id)
                fresh = await repo.get(payment.id)
                assert fresh is not None
                outcome: str = await apply((tx, repo, now), fresh, event)
                audit(repo, payment.id, source, kind, outcome, now, {"event": event_id}, external_id=event_id)
        except IntegrityError:
            WEBHOOKS.labels(provider, "duplicate").inc()
            return "duplicate"
        WEBHOOKS.labels(provider, outcome).inc()
        return outcome


async def _apply_refunded_total(
    tx: Any, repo: PaymentRepository, p: Payment, total: int, now: datetime, reason: str
) -> str:
    """The provider says `total` is refunded; count what we have not counted (ours in flight included)."""
    outcome = "no_change"
    for ours in await repo.refunds_in_flight(p.id):  # ours the provider answered "pending" to
        if p.refunded_amount + ours.amount > total:
            break
        await refunded(tx, repo, p, ours, now, reserved=True)
        p = await repo.get(p.id)  # type: ignore[assignment]
        outcome = "applied"
    missing = total - p.refunded_amount - p.refund_pending_amount
    if missing <= 0:
        return outcome
    refund = Refund(
        id=uuid.uuid4(),
        payment_id=p.id,
        amount=missing,
        currency=p.currency,
        status="pending",
        reason=reason,
        cause=None,
        created_at=now,
    )
    repo.add(refund)
    await refunded(tx, repo, p, refund, now, reserved=False)
    return "applied"


def _stripe_method(obj: dict[str, Any]) -> str:
    details = obj.get("payment_method_details") or {}
    card = details.get("card") or {}
    if card.get("brand") and card.get("last4"):
        return f"{card['brand']} •••• {card['last4']}"
    return "card"


_CERTS: dict[str, rsa.RSAPublicKey] = {}


async def _paypal_key(url: str) -> rsa.RSAPublicKey:
    if (key := _CERTS.get(url)) is not None:
        return key
    try:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.get(url)
        cert = x509.load_pem_x509_certificate(response.content)
    except (httpx.HTTPError, ValueError) as exc:
        raise WebhookSignatureInvalid("The PayPal certificate could not be fetched") from exc
    now = datetime.now(UTC)
    public = cert.public_key()
    if not isinstance(public, rsa.RSAPublicKey) or not (
        cert.not_valid_before_utc <= now <= cert.not_valid_after_utc
    ):
        raise WebhookSignatureInvalid("The PayPal certificate is not valid")
    _CERTS[url] = public
    return public
