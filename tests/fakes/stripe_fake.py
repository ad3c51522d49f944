"""A local fake of the parts of Stripe's API Reservo uses, following reference/integrations.md §1.

Form-encoded bodies with bracket keys, Bearer secret keys, Idempotency-Key replay (same key and
parameters: the stored response; other parameters: 400 idempotency_error), Stripe's error object,
and webhook events signed as Stripe signs them (`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`).
`customer_pays` plays the browser confirming with Stripe Elements.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.test_cards import DECLINES

SECRET_KEY = "sk_test_fake_acme"
WEBHOOK_SECRET = "whsec_fake_acme"


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`metadata[booking_id]=b1` -> {"metadata": {"booking_id": "b1"}}."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def _error(status: int, type_: str, message: str, code: str | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(
        {"error": {"type": type_, "code": code, "message": message, **extra}}, status_code=status
    )


@dataclass
class FakeStripe:
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotency: dict[str, tuple[str, int, Any]] = field(default_factory=dict)
    creates: int = 0  # POST /v1/payment_intents that did create an intent
    stall_next_seconds: float = 0.0  # simulate a slow Stripe: the work is done, the answer comes late

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/payment_intents", self.create_intent, methods=["POST"]),
                Route("/v1/payment_intents/{id}", self.get_intent, methods=["GET"]),
                Route("/v1/refunds", self.create_refund, methods=["POST"]),
            ]
        )

    async def _begin(self, request: Request) -> tuple[dict[str, Any] | None, JSONResponse | None, str | None]:
        if request.headers.get("authorization") != f"Bearer {SECRET_KEY}":
            return None, _error(401, "invalid_request_error", "Invalid API Key provided"), None
        raw = (await request.body()).decode()
        params = _nest(parse_qsl(raw, keep_blank_values=True))
        key = request.headers.get("idempotency-key")
        if key and key in self.idempotency:
            fingerprint, status, body = self.idempotency[key]
            if fingerprint != raw:
                return (
                    None,
                    _error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
                    ),
                    None,
                )
            return None, JSONResponse(body, status_code=status, headers={"Idempotent-Replayed": "true"}), None
        return params, None, key

    def _remember(self, key: str | None, raw: str, status: int, body: Any) -> None:
        if key:
            self.idempotency[key] = (raw, status, body)

    async def create_intent(self, request: Request) -> JSONResponse:
        params, early, key = await self._begin(request)
        if early is not None:
            return early
        assert params is not None
        if "amount" not in params or "currency" not in params:
            return _error(
                400,
                "invalid_request_error",
                "Missing required param: amount.",
                "parameter_missing",
                param="amount",
            )
        pi_id = "pi_" + secrets.token_hex(12)
        intent = {
            "id": pi_id,
            "object": "payment_intent",
            "amount": int(params["amount"]),
            "amount_received": 0,
            "currency": params["currency"],
            "status": "requires_payment_method",
            "client_secret": f"{pi_id}_secret_{secrets.token_hex(8)}",
            "metadata": params.get("metadata", {}),
            "automatic_payment_methods": {
                "enabled": params.get("automatic_payment_methods", {}).get("enabled") == "true"
            },
            "last_payment_error": None,
            "latest_charge": None,
            "next_action": None,
            "created": int(time.time()),
            "livemode": False,
        }
        self.intents[pi_id] = intent
        self.creates += 1
        self._remember(key, (await request.body()).decode(), 200, intent)
        if self.stall_next_seconds:
            stall, self.stall_next_seconds = self.stall_next_seconds, 0.0
            await asyncio.sleep(stall)
        return JSONResponse(intent)

    async def get_intent(self, request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {SECRET_KEY}":
            return _error(401, "invalid_request_error", "Invalid API Key provided")
        intent = self.intents.get(request.path_params["id"])
        if intent is None:
            return _error(404, "invalid_request_error", "No such payment_intent", "resource_missing")
        return JSONResponse(intent)

    async def create_refund(self, request: Request) -> JSONResponse:
        params, early, key = await self._begin(request)
        if early is not None:
            return early
        assert params is not None
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None:
            return _error(400, "invalid_request_error", "No such payment_intent", "resource_missing")
        charge = intent.get("_charge")
        if intent["status"] != "succeeded" or charge is None:
            return _error(
                400,
                "invalid_request_error",
                "This PaymentIntent has no successful charge",
                "payment_intent_unexpected_state",
            )
        amount = int(params.get("amount", charge["amount"] - charge["amount_refunded"]))
        if charge["amount_refunded"] + amount > charge["amount"]:
            return _error(
                400,
                "invalid_request_error",
                "Refund amount is greater than unrefunded amount",
                "amount_too_large",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund = {
            "id": "re_" + secrets.token_hex(12),
            "object": "refund",
            "amount": amount,
            "currency": intent["currency"],
            "charge": charge["id"],
            "payment_intent": intent["id"],
            "status": "succeeded",
            "reason": params.get("reason"),
        }
        self.refunds[refund["id"]] = refund
        self._remember(key, (await request.body()).decode(), 200, refund)
        return JSONResponse(refund)

    # what happens outside our API calls ------------------------------------------------------
    def customer_pays(self, pi_id: str, card: str) -> str:
        """The browser confirms with Elements; returns the webhook event type Stripe then sends."""
        intent = self.intents[pi_id]
        if card in DECLINES:
            code, message = DECLINES[card]
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {
                "type": "card_error",
                "code": "card_declined",
                "decline_code": code,
                "message": message,
            }
            return "payment_intent.payment_failed"
        charge = {
            "id": "ch_" + secrets.token_hex(12),
            "object": "charge",
            "amount": intent["amount"],
            "amount_captured": intent["amount"],
            "amount_refunded": 0,
            "refunded": False,
            "paid": True,
            "captured": True,
            "status": "succeeded",
            "payment_intent": pi_id,
            "currency": intent["currency"],
            "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": card[-4:]}},
        }
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge["id"],
            _charge=charge,
            last_payment_error=None,
            payment_method_details=charge["payment_method_details"],
        )
        return "payment_intent.succeeded"

    def event(self, type_: str, pi_id: str, **override: Any) -> dict[str, Any]:
        intent = self.intents[pi_id]
        obj = intent.get("_charge") if type_.startswith("charge.") else intent
        obj = {k: v for k, v in (obj or {}).items() if not k.startswith("_")} | override
        return {
            "id": "evt_" + secrets.token_hex(12),
            "object": "event",
            "api_version": "2026-10-28.endive",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "type": type_,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": obj},
        }


def signed(
    event: dict[str, Any], secret: str = WEBHOOK_SECRET, at: int | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and Stripe-Signature header Stripe sends for `event`."""
    body = json.dumps(event).encode()
    t = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={t},v1={mac}", "Content-Type": "application/json"}
