"""Events of the payment service.

No card data and no provider credential ever appear here; `provider_reference` is the provider's id of
the payment (Stripe PaymentIntent id, PayPal capture id, `test_...`), safe to show on a receipt.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from reservo.contracts.money import MoneyPayload
from reservo.platform.events.envelope import Event, register

Provider = Literal["test", "stripe", "paypal"]
PaymentStatus = Literal[
    "requires_payment_method",
    "requires_action",
    "processing",
    "succeeded",
    "failed",
    "refunded",
    "partially_refunded",
]


class PaymentEvent(Event):
    id: uuid.UUID  # the payment
    tenant_id: uuid.UUID
    booking_id: uuid.UUID
    provider: Provider
    provider_reference: str | None = None
    amount: MoneyPayload
    status: PaymentStatus

    @property
    def key(self) -> str:
        """Keyed by booking, so a booking's payment events stay in order with each other."""
        return str(self.booking_id)


@register
class PaymentSucceeded(PaymentEvent):
    """Money was captured. `method` is what a receipt may print ("card", "visa •••• 4242", "paypal")."""

    TYPE = "payment.succeeded"
    method: str
    succeeded_at: datetime


@register
class PaymentFailed(PaymentEvent):
    """An attempt failed (`failure_code` as the provider says, e.g. card_declined); the customer may retry."""

    TYPE = "payment.failed"
    failure_code: str
    failure_message: str | None = None
    failed_at: datetime


@register
class PaymentRefunded(PaymentEvent):
    """A refund succeeded. `refund` is this refund; `refunded_total` all refunds of the payment so far;
    `status` is refunded when refunded_total equals amount, else partially_refunded."""

    TYPE = "payment.refunded"
    refund_id: uuid.UUID
    refund: MoneyPayload
    refunded_total: MoneyPayload
    reason: str | None = None
    refunded_at: datetime


DisputeStatus = Literal["needs_response", "under_review", "won", "lost"]


@register
class DisputeOpened(Event):
    """A customer disputed a payment at the provider; staff must answer there before `respond_by`.

    Once per dispute, when the first of the provider's dispute webhooks arrives. Carries what staff
    need to find and answer it (payment, booking, amount, the provider's reason code), nothing about
    the customer and no provider credential."""

    TYPE = "payment.dispute_opened"
    id: uuid.UUID  # the dispute
    tenant_id: uuid.UUID
    payment_id: uuid.UUID
    booking_id: uuid.UUID
    provider: Provider
    amount: MoneyPayload
    reason: str  # the provider's reason code, lower case: fraudulent, product_not_received, ...
    status: DisputeStatus
    respond_by: datetime | None = None
    opened_at: datetime

    @property
    def key(self) -> str:
        """Keyed by booking, in order with the payment's other events."""
        return str(self.booking_id)
