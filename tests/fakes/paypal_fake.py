"""A local fake of PayPal's Orders v2, Payments v2 refunds and OAuth token endpoint, following
reference/integrations.md §2 and the OpenAPI files beside it: `PayPal-Request-Id` replays (200 instead
of 201), error bodies `{name, message, debug_id, details[{issue}]}`, and webhooks signed the way
PayPal's SDKs verify them (RSA-SHA256 over `transmission_id|time|webhook_id|crc32(body)`) with a
test certificate served at a cert URL. For browser tests it also serves a fake JS SDK at `/sdk/js`
(tests/fakes/browser/paypal-sdk.js) whose buttons approve an order at `/checkoutnow/{id}/approve`
(the buyer on PayPal's page); the fake then sends the signed CHECKOUT.ORDER.APPROVED to `webhook_url`."""

from __future__ import annotations

import base64
import json
import secrets
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID = "fake-client", "fake-secret", "WH-FAKE-1"


def _error(status: int, name: str, issue: str) -> JSONResponse:
    return JSONResponse(
        {
            "name": name,
            "message": issue,
            "debug_id": secrets.token_hex(6),
            "details": [{"issue": issue, "description": issue}],
        },
        status_code=status,
    )


def _certificate() -> tuple[rsa.RSAPrivateKey, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "messageverificationcerts.sandbox.paypal.com")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class FakePayPal:
    base: str = ""  # set once served
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    replays: dict[str, tuple[int, Any]] = field(default_factory=dict)
    decline_next_capture: bool = False
    tokens: set[str] = field(default_factory=set)
    webhook_url: str | None = None  # where approvals in the browser are announced (reservo's endpoint)

    def __post_init__(self) -> None:
        self._key, self._pem = _certificate()

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/oauth2/token", self.token, methods=["POST"]),
                Route("/v2/checkout/orders", self.create_order, methods=["POST"]),
                Route("/v2/checkout/orders/{id}", self.show_order, methods=["GET"]),
                Route("/v2/checkout/orders/{id}/capture", self.capture, methods=["POST"]),
                Route("/v2/payments/captures/{id}/refund", self.refund, methods=["POST"]),
                Route("/certs/test.pem", self.cert, methods=["GET"]),
                Route("/sdk/js", self.sdk, methods=["GET"]),
                Route("/checkoutnow/{id}/approve", self.browser_approve, methods=["POST"]),
            ],
            middleware=[Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"])],
        )

    async def sdk(self, request: Request) -> Response:
        if request.query_params.get("client-id") != CLIENT_ID:
            return Response("throw new Error('PayPal SDK: invalid client-id')", media_type="text/javascript")
        return FileResponse(
            Path(__file__).with_name("browser") / "paypal-sdk.js", media_type="text/javascript"
        )

    async def browser_approve(self, request: Request) -> JSONResponse:
        """The buyer pays on PayPal's page (the fake SDK's dialog): the order is approved and PayPal
        announces CHECKOUT.ORDER.APPROVED by webhook before the buyer is sent back."""
        form = parse_qs((await request.body()).decode())
        order_id = request.path_params["id"]
        if form.get("client-id", [""])[0] != CLIENT_ID or order_id not in self.orders:
            return _error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        event = self.buyer_approves(order_id)
        if self.webhook_url:
            body, headers = self.signed(event)
            async with httpx.AsyncClient(timeout=30) as client:
                (await client.post(self.webhook_url, content=body, headers=headers)).raise_for_status()
        return JSONResponse(
            {"id": order_id, "status": self.orders[order_id]["status"], "payer_id": "FAKEPAYER1"}
        )

    async def token(self, request: Request) -> JSONResponse:
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
                status_code=401,
            )
        token = "A21" + secrets.token_hex(16)
        self.tokens.add(token)
        return JSONResponse(
            {
                "scope": "https://uri.paypal.com/services/payments",
                "access_token": token,
                "token_type": "Bearer",
                "app_id": "APP-FAKE",
                "expires_in": 32400,
                "nonce": "n",
            }
        )

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("authorization", "").removeprefix("Bearer ") in self.tokens

    def _replayed(self, request: Request) -> JSONResponse | None:
        rid = request.headers.get("paypal-request-id")
        if rid and rid in self.replays:
            return JSONResponse(self.replays[rid][1], status_code=200)
        return None

    async def create_order(self, request: Request) -> JSONResponse:
        if not self._authorized(request):
            return _error(401, "AUTHENTICATION_FAILURE", "INVALID_TOKEN")
        if (replay := self._replayed(request)) is not None:
            return replay
        body = await request.json()
        if body.get("intent") not in ("CAPTURE", "AUTHORIZE") or not body.get("purchase_units"):
            return _error(400, "INVALID_REQUEST", "MISSING_REQUIRED_PARAMETER")
        order_id = secrets.token_hex(8).upper()
        order = {
            "id": order_id,
            "intent": body["intent"],
            "status": "PAYER_ACTION_REQUIRED",
            "purchase_units": body["purchase_units"],
            "links": [
                {"href": f"{self.base}/v2/checkout/orders/{order_id}", "rel": "self", "method": "GET"},
                {"href": f"{self.base}/checkoutnow?token={order_id}", "rel": "payer-action", "method": "GET"},
            ],
        }
        self.orders[order_id] = order
        self.replays[request.headers.get("paypal-request-id", order_id)] = (201, order)
        return JSONResponse(order, status_code=201)

    async def show_order(self, request: Request) -> JSONResponse:
        if not self._authorized(request):
            return _error(401, "AUTHENTICATION_FAILURE", "INVALID_TOKEN")
        order = self.orders.get(request.path_params["id"])
        return JSONResponse(order) if order else _error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")

    async def capture(self, request: Request) -> JSONResponse:
        if not self._authorized(request):
            return _error(401, "AUTHENTICATION_FAILURE", "INVALID_TOKEN")
        if (replay := self._replayed(request)) is not None:
            return replay
        order = self.orders.get(request.path_params["id"])
        if order is None:
            return _error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        if order["status"] == "COMPLETED":
            return _error(422, "UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED")
        if order["status"] != "APPROVED":
            return _error(422, "UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED")
        if self.decline_next_capture:
            self.decline_next_capture = False
            return _error(422, "UNPROCESSABLE_ENTITY", "INSTRUMENT_DECLINED")
        unit = order["purchase_units"][0]
        capture = {
            "id": "CAP" + secrets.token_hex(6).upper(),
            "status": "COMPLETED",
            "amount": unit["amount"],
            "custom_id": unit.get("custom_id"),
            "final_capture": True,
            "refunded": "0.00",
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
        }
        order["status"] = "COMPLETED"
        unit["payments"] = {"captures": [capture]}
        self.replays[request.headers.get("paypal-request-id", capture["id"])] = (201, order)
        return JSONResponse(order, status_code=201)

    async def refund(self, request: Request) -> JSONResponse:
        if not self._authorized(request):
            return _error(401, "AUTHENTICATION_FAILURE", "INVALID_TOKEN")
        if (replay := self._replayed(request)) is not None:
            return replay
        capture = self.capture_by_id(request.path_params["id"])
        if capture is None:
            return _error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID")
        body = await request.json() if await request.body() else {}
        total = float(capture["amount"]["value"])
        value = float(body.get("amount", {}).get("value", total - float(capture["refunded"])))
        if float(capture["refunded"]) + value > total + 1e-9:
            return _error(422, "UNPROCESSABLE_ENTITY", "REFUND_AMOUNT_EXCEEDED")
        capture["refunded"] = f"{float(capture['refunded']) + value:.2f}"
        refund: dict[str, Any] = {
            "id": "REF" + secrets.token_hex(6).upper(),
            "status": "COMPLETED",
            "amount": {"currency_code": capture["amount"]["currency_code"], "value": f"{value:.2f}"},
        }
        self.replays[request.headers.get("paypal-request-id", refund["id"])] = (201, refund)
        return JSONResponse(refund, status_code=201)

    async def cert(self, request: Request) -> Response:
        return Response(self._pem, media_type="application/x-pem-file")

    # outside our API calls -------------------------------------------------------------------
    def capture_by_id(self, capture_id: str) -> dict[str, Any] | None:
        for order in self.orders.values():
            for unit in order["purchase_units"]:
                for c in (unit.get("payments") or {}).get("captures", []):
                    if c["id"] == capture_id:
                        return c  # type: ignore[no-any-return]
        return None

    def buyer_approves(self, order_id: str) -> dict[str, Any]:
        """The buyer approves on PayPal's page; returns the CHECKOUT.ORDER.APPROVED event."""
        self.orders[order_id]["status"] = "APPROVED"
        return self.event("CHECKOUT.ORDER.APPROVED", "checkout-order", self.orders[order_id])

    @staticmethod
    def event(event_type: str, resource_type: str, resource: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": "WH-" + secrets.token_hex(8).upper(),
            "create_time": datetime.now(UTC).isoformat(),
            "resource_type": resource_type,
            "event_version": "1.0",
            "event_type": event_type,
            "summary": event_type,
            "resource_version": "2.0",
            "resource": resource,
            "links": [],
        }

    def signed(
        self,
        event: dict[str, Any],
        *,
        webhook_id: str = WEBHOOK_ID,
        sent: datetime | None = None,
        key: rsa.RSAPrivateKey | None = None,
    ) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(event).encode()
        tid = str(uuid.uuid4())
        when = (sent or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
        message = f"{tid}|{when}|{webhook_id}|{zlib.crc32(body) & 0xFFFFFFFF}".encode()
        sig = (key or self._key).sign(message, padding.PKCS1v15(), hashes.SHA256())
        return body, {
            "Content-Type": "application/json",
            "PAYPAL-TRANSMISSION-ID": tid,
            "PAYPAL-TRANSMISSION-TIME": when,
            "PAYPAL-TRANSMISSION-SIG": base64.b64encode(sig).decode(),
            "PAYPAL-CERT-URL": f"{self.base}/certs/test.pem",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        }
