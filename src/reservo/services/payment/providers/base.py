"""The provider interface: every provider (test, Stripe, PayPal) answers in these terms."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

from reservo.platform.http.problems import Problem


@dataclass(frozen=True, slots=True)
class Order:
    """What a provider needs to know about a payment; the idempotency key makes a retry safe."""

    payment_id: uuid.UUID
    tenant_id: uuid.UUID
    booking_id: uuid.UUID
    amount: int
    currency: str
    description: str
    customer_email: str


@dataclass(frozen=True, slots=True)
class Intent:
    """The provider's view of a payment, in our status vocabulary."""

    reference: str | None
    status: str
    client_secret: str | None = None
    approval_url: str | None = None
    next_action: dict[str, Any] | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    method: str | None = None
    capture_reference: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # safe fields for the audit trail


@dataclass(frozen=True, slots=True)
class RefundResult:
    reference: str | None
    status: str  # succeeded | pending | failed
    failure_code: str | None = None


class ProviderUnavailable(Problem):
    status, code, title = 503, "provider_unavailable", "The payment provider did not answer; retry shortly"


class ProviderRejected(Problem):
    status, code, title = 502, "provider_error", "The payment provider refused the request"


class PaymentProvider(Protocol):
    name: str

    async def create(self, order: Order, idempotency_key: str) -> Intent: ...

    async def retrieve(self, reference: str) -> Intent: ...

    async def capture(self, reference: str, idempotency_key: str) -> Intent:
        """PayPal: capture an approved order. Others: the intent as it is."""

    async def refund(
        self, intent: Intent, amount: int, currency: str, idempotency_key: str, reason: str | None
    ) -> RefundResult: ...
