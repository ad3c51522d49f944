"""Stripe PaymentIntents through the official SDK (async over httpx), our own idempotency keys.

Automatic payment methods let Stripe Elements offer cards, Apple Pay and Google Pay; the browser
confirms with `client_secret` and Stripe tells us the outcome by webhook (webhooks.py).
"""

from __future__ import annotations

from typing import Any

import stripe

from reservo.services.payment.providers.base import (
    Intent,
    Order,
    ProviderRejected,
    ProviderUnavailable,
    RefundResult,
)

# PaymentIntent status -> ours. requires_confirmation/requires_capture do not occur with automatic
# capture and client-side confirmation; they count as still open.
STATUS = {
    "requires_payment_method": "requires_payment_method",
    "requires_confirmation": "requires_payment_method",
    "requires_action": "requires_action",
    "processing": "processing",
    "requires_capture": "processing",
    "succeeded": "succeeded",
    "canceled": "failed",
}


def intent_of(pi: Any) -> Intent:
    """Our Intent from a PaymentIntent (SDK object or webhook dict): no client secret in `raw`."""
    error = pi.get("last_payment_error") or {}
    status = STATUS.get(pi["status"], "processing")
    if status == "requires_payment_method" and error:
        status = "failed"  # a declined attempt: Stripe lets the same intent retry, we record the failure
    return Intent(
        reference=pi["id"],
        status=status,
        client_secret=pi.get("client_secret"),
        next_action=dict(pi["next_action"]) if pi.get("next_action") else None,
        failure_code=error.get("code") or error.get("decline_code"),
        failure_message=error.get("message"),
        method="card" if status == "succeeded" else None,
        raw={
            "id": pi["id"],
            "status": pi["status"],
            "amount": pi.get("amount"),
            "currency": pi.get("currency"),
        },
    )


class StripeProvider:
    name = "stripe"

    def __init__(self, secret_key: str, api_base: str, timeout: float) -> None:
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base},
            max_network_retries=0,  # we retry with the same idempotency key ourselves
            http_client=stripe.HTTPXClient(timeout=timeout),
        )

    async def create(self, order: Order, idempotency_key: str) -> Intent:
        params: dict[str, Any] = {
            "amount": order.amount,
            "currency": order.currency.lower(),
            "automatic_payment_methods": {"enabled": True},
            "description": order.description[:200],
            "receipt_email": order.customer_email,
            "metadata": {
                "payment_id": str(order.payment_id),
                "booking_id": str(order.booking_id),
                "tenant_id": str(order.tenant_id),
            },
        }
        pi = await self._call(
            self._client.v1.payment_intents.create_async(params, {"idempotency_key": idempotency_key})  # type: ignore[arg-type]
        )
        return intent_of(pi)

    async def retrieve(self, reference: str) -> Intent:
        return intent_of(await self._call(self._client.v1.payment_intents.retrieve_async(reference)))

    async def capture(self, reference: str, idempotency_key: str) -> Intent:
        return await self.retrieve(reference)

    async def refund(
        self, intent: Intent, amount: int, currency: str, idempotency_key: str, reason: str | None
    ) -> RefundResult:
        params: dict[str, Any] = {"payment_intent": intent.reference, "amount": amount}
        if reason in ("duplicate", "fraudulent", "requested_by_customer"):
            params["reason"] = reason
        refund = await self._call(
            self._client.v1.refunds.create_async(params, {"idempotency_key": idempotency_key})  # type: ignore[arg-type]
        )
        status = {"succeeded": "succeeded", "pending": "pending"}.get(refund["status"], "failed")
        return RefundResult(refund["id"], status, refund.get("failure_reason"))

    @staticmethod
    async def _call(request: Any) -> Any:
        try:
            return (await request).to_dict()  # plain dicts from here on (StripeObject is not a dict)
        except stripe.APIConnectionError as exc:
            raise ProviderUnavailable("Stripe did not answer; retry shortly") from exc
        except stripe.CardError as exc:
            # A decline on a server-side confirm: the intent carries the error (not used today).
            error = exc.error
            if error is not None and error.payment_intent is not None:
                return error.payment_intent.to_dict()
            raise ProviderRejected(exc.user_message or "card error", provider_code=exc.code) from exc
        except stripe.StripeError as exc:
            if (exc.http_status or 500) >= 500:
                raise ProviderUnavailable("Stripe failed; retry shortly") from exc
            raise ProviderRejected(exc.user_message or "Stripe refused", provider_code=exc.code) from exc
