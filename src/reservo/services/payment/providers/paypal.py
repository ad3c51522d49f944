"""PayPal Orders v2 (intent CAPTURE): create an order, the buyer approves at PayPal, we capture;
refunds on the capture. Every POST carries `PayPal-Request-Id`, so a retry never pays twice."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import httpx

from reservo.services.payment.providers.base import (
    Intent,
    Order,
    ProviderRejected,
    ProviderUnavailable,
    RefundResult,
)

# Currencies PayPal writes without decimals; everything else in our use has two.
ZERO_DECIMAL = frozenset({"HUF", "JPY", "TWD"})


def to_value(amount: int, currency: str) -> str:
    return str(amount) if currency in ZERO_DECIMAL else f"{Decimal(amount) / 100:.2f}"


def from_value(value: str, currency: str) -> int:
    return int(Decimal(value)) if currency in ZERO_DECIMAL else int(Decimal(value) * 100)


ORDER_STATUS = {
    "CREATED": "requires_action",
    "SAVED": "requires_action",
    "PAYER_ACTION_REQUIRED": "requires_action",
    "APPROVED": "processing",
    "VOIDED": "failed",
    "COMPLETED": "succeeded",
}


def order_intent(order: dict[str, Any]) -> Intent:
    status = ORDER_STATUS.get(order.get("status", ""), "processing")
    approve = next(
        (link["href"] for link in order.get("links", []) if link.get("rel") in ("approve", "payer-action")),
        None,
    )
    capture = _capture_of(order)
    failure = None
    if capture is not None:
        cstatus = capture.get("status")
        if cstatus in ("DECLINED", "FAILED"):
            status, failure = (
                "failed",
                (capture.get("status_details") or {}).get("reason", "capture_declined"),
            )
        elif cstatus == "PENDING":
            status = "processing"
    return Intent(
        reference=order["id"],
        status=status,
        approval_url=approve if status == "requires_action" else None,
        next_action={"type": "redirect_to_url", "url": approve}
        if approve and status == "requires_action"
        else None,
        failure_code=failure,
        method="paypal" if status == "succeeded" else None,
        capture_reference=capture.get("id") if capture else None,
        raw={"id": order["id"], "status": order.get("status")},
    )


def _capture_of(order: dict[str, Any]) -> dict[str, Any] | None:
    for unit in order.get("purchase_units", []):
        captures = (unit.get("payments") or {}).get("captures") or []
        if captures:
            return dict(captures[0])
    return None


class PayPalProvider:
    name = "paypal"

    def __init__(
        self, client_id: str, client_secret: str, api_base: str, timeout: float, return_url: str
    ) -> None:
        self._auth = (client_id, client_secret)
        self._base = api_base.rstrip("/")
        self._timeout = timeout
        self._return_url = return_url
        self._token: tuple[str, float] | None = None

    async def create(self, order: Order, idempotency_key: str) -> Intent:
        body = {
            "intent": "CAPTURE",
            "purchase_units": [
                {
                    "reference_id": str(order.booking_id),
                    "custom_id": str(order.payment_id),
                    "description": order.description[:127],
                    "amount": {
                        "currency_code": order.currency,
                        "value": to_value(order.amount, order.currency),
                    },
                }
            ],
            "payment_source": {
                "paypal": {
                    "experience_context": {
                        "return_url": self._return_url,
                        "cancel_url": self._return_url,
                        "user_action": "PAY_NOW",
                        "shipping_preference": "NO_SHIPPING",
                    }
                }
            },
        }
        return order_intent(await self._post("/v2/checkout/orders", body, idempotency_key))

    async def retrieve(self, reference: str) -> Intent:
        return order_intent(await self._request("GET", f"/v2/checkout/orders/{reference}"))

    async def capture(self, reference: str, idempotency_key: str) -> Intent:
        try:
            return order_intent(
                await self._post(f"/v2/checkout/orders/{reference}/capture", {}, idempotency_key)
            )
        except ProviderRejected as exc:
            if exc.extra.get("provider_code") == "ORDER_ALREADY_CAPTURED":
                return await self.retrieve(reference)
            if exc.extra.get("provider_code") in (
                "INSTRUMENT_DECLINED",
                "TRANSACTION_REFUSED",
                "PAYER_CANNOT_PAY",
            ):
                return Intent(
                    reference=reference, status="failed", failure_code=str(exc.extra["provider_code"]).lower()
                )
            raise

    async def refund(
        self, intent: Intent, amount: int, currency: str, idempotency_key: str, reason: str | None
    ) -> RefundResult:
        if intent.capture_reference is None:
            raise ProviderRejected("This PayPal payment has no capture to refund")
        body: dict[str, Any] = {"amount": {"currency_code": currency, "value": to_value(amount, currency)}}
        if reason:
            body["note_to_payer"] = reason[:255]
        result = await self._post(
            f"/v2/payments/captures/{intent.capture_reference}/refund", body, idempotency_key
        )
        status = {"COMPLETED": "succeeded", "PENDING": "pending"}.get(result.get("status", ""), "failed")
        return RefundResult(result.get("id"), status)

    async def _access_token(self, client: httpx.AsyncClient) -> str:
        if self._token is not None and self._token[1] > time.monotonic():
            return self._token[0]
        response = await client.post(
            f"{self._base}/v1/oauth2/token", data={"grant_type": "client_credentials"}, auth=self._auth
        )
        if response.status_code != 200:
            raise ProviderRejected(
                "PayPal refused the credentials", provider_code=response.json().get("error")
            )
        body = response.json()
        self._token = (body["access_token"], time.monotonic() + float(body.get("expires_in", 300)) - 60)
        return str(body["access_token"])

    async def _post(self, path: str, body: dict[str, Any], request_id: str) -> dict[str, Any]:
        headers = {"PayPal-Request-Id": request_id, "Prefer": "return=representation"}
        return await self._request("POST", path, json=body, headers=headers)

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                token = await self._access_token(client)
                headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {token}"}
                response = await client.request(method, f"{self._base}{path}", headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable("PayPal did not answer; retry shortly") from exc
        if response.status_code >= 500:
            raise ProviderUnavailable("PayPal failed; retry shortly")
        body: dict[str, Any] = response.json() if response.content else {}
        if response.status_code >= 400:
            details = body.get("details") or [{}]
            raise ProviderRejected(
                body.get("message", "PayPal refused"),
                provider_code=details[0].get("issue") or body.get("name"),
            )
        return body
