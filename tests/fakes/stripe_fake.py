"""A local fake of the parts of Stripe's API Reservo uses, following reference/integrations.md §1.

Form-encoded bodies with bracket keys, Bearer secret keys, Idempotency-Key replay (same key and
parameters: the stored response; other parameters: 400 idempotency_error), Stripe's error object,
and webhook events signed as Stripe signs them (`t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`).
`customer_pays` plays the browser confirming with Stripe Elements. For browser tests it also serves
a fake Stripe.js at `/v3/` (tests/fakes/browser/stripe-v3.js) whose `confirmPayment` posts to
`/v1/payment_intents/{id}/confirm` with the client secret and a publishable key, as Stripe.js does;
the fake then sends the signed webhook to `webhook_url` (reservo) before it answers.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse
from starlette.routing import Route

from tests.fakes.test_cards import AUTHENTICATE, DECLINES

BROWSER = Path(__file__).with_name("browser")
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
    # simulate a slow Stripe: the work is done, the answer comes late
    stall_next_seconds: float = 0.0
    refund_status: str = "succeeded"  # "pending": like card 4000000000007726, settled later
    webhook_url: str | None = None  # where the browser's confirmations are announced (reservo's endpoint)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/payment_intents", self.create_intent, methods=["POST"]),
                Route("/v1/payment_intents/{id}", self.get_intent, methods=["GET"]),
                Route("/v1/payment_intents/{id}/confirm", self.browser_confirm, methods=["POST"]),
                Route("/v1/payment_intents/{id}/authenticate", self.browser_authenticate, methods=["POST"]),
                Route("/v1/refunds", self.create_refund, methods=["POST"]),
                Route("/v3/", self.stripe_js, methods=["GET"]),
            ],
            middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"])],
        )

    async def stripe_js(self, request: Request) -> FileResponse:
        return FileResponse(BROWSER / "stripe-v3.js", media_type="text/javascript")

    async def browser_confirm(self, request: Request) -> JSONResponse:
        """What Stripe.js's confirmPayment sends from the browser: the publishable key and the
        intent's client secret (never the secret key), the card from the Payment Element."""
        params = _nest(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        intent = self.intents.get(request.path_params["id"])
        if not str(params.get("key", "")).startswith("pk_"):
            return _error(401, "invalid_request_error", "Invalid API Key provided")
        if intent is None or params.get("client_secret") != intent["client_secret"]:
            return _error(404, "invalid_request_error", "No such payment_intent", "resource_missing")
        card = str(params.get("payment_method_data", {}).get("card", {}).get("number", ""))
        return await self._announce(intent, self.customer_pays(intent["id"], card))

    async def browser_authenticate(self, request: Request) -> JSONResponse:
        """The issuer's 3-D Secure challenge that Stripe.js opens for an intent in `requires_action`
        (a stand-in for the issuer's page: `outcome` is what the buyer chose there)."""
        params = _nest(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        intent = self.intents.get(request.path_params["id"])
        if intent is None or params.get("client_secret") != intent["client_secret"]:
            return _error(404, "invalid_request_error", "No such payment_intent", "resource_missing")
        if intent["status"] != "requires_action":
            return _error(
                400, "invalid_request_error", "No authentication pending", "payment_intent_unexpected_state"
            )
        return await self._announce(
            intent, self.customer_authenticates(intent["id"], params.get("outcome") == "complete")
        )

    async def _announce(self, intent: dict[str, Any], kind: str) -> JSONResponse:
        """Send the webhook of what just happened, then answer the browser as Stripe.js's API does."""
        if self.webhook_url:
            body, headers = signed(self.event(kind, intent["id"]))
            async with httpx.AsyncClient(timeout=30) as client:
                (await client.post(self.webhook_url, content=body, headers=headers)).raise_for_status()
        public = {k: v for k, v in intent.items() if not k.startswith("_")}
        if kind == "payment_intent.payment_failed":
            status = 402 if intent["last_payment_error"]["type"] == "card_error" else 400
            return JSONResponse({"error": {**intent["last_payment_error"], "payment_intent": public}}, status)
        return JSONResponse(public)

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
            "status": self.refund_status,
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
        if card in AUTHENTICATE:
            intent.update(
                status="requires_action",
                next_action={"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}},
                last_payment_error=None,
                _card=card,
            )
            return "payment_intent.requires_action"
        return self._charge(pi_id, card)

    def customer_authenticates(self, pi_id: str, complete: bool) -> str:
        """The buyer completes (or fails) the issuer's 3-D Secure challenge of an intent in
        `requires_action`; returns the webhook event type Stripe then sends."""
        intent = self.intents[pi_id]
        intent["next_action"] = None
        if complete:
            return self._charge(pi_id, intent.pop("_card"))
        intent.update(
            status="requires_payment_method",
            last_payment_error={
                "type": "invalid_request_error",
                "code": "payment_intent_authentication_failure",
                "message": "We are unable to authenticate your payment method. Please choose a "
                "different payment method and try again.",
            },
        )
        return "payment_intent.payment_failed"

    def _charge(self, pi_id: str, card: str) -> str:
        intent = self.intents[pi_id]
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
