"""Request and response bodies of the payment service (shapes pinned by issue 11)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, model_validator

from reservo.contracts.events.payment import DisputeStatus, PaymentStatus
from reservo.platform.schemas import Input, Money, Output

Secret = Annotated[SecretStr, Field(min_length=1, max_length=500)]


class PaymentSettingsPut(Input):
    """`test` needs nothing; `stripe` a secret key and webhook signing secret; `paypal` a REST app's
    client id and secret and the webhook id. Secrets are stored encrypted and never returned."""

    provider: Literal["test", "stripe", "paypal"]
    secret_key: Secret | None = None
    webhook_secret: Secret | None = None
    publishable_key: Annotated[str | None, Field(max_length=200)] = None
    client_id: Annotated[str | None, Field(max_length=200)] = None
    client_secret: Secret | None = None
    webhook_id: Annotated[str | None, Field(max_length=200)] = None

    @model_validator(mode="after")
    def _needs(self) -> PaymentSettingsPut:
        needed = {
            "test": (),
            "stripe": ("secret_key", "webhook_secret"),
            "paypal": ("client_id", "client_secret", "webhook_id"),
        }[self.provider]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"{self.provider} needs {', '.join(missing)}")
        return self

    def secrets(self) -> dict[str, Any]:
        hidden = {
            "secret_key": self.secret_key,
            "webhook_secret": self.webhook_secret,
            "client_secret": self.client_secret,
        }
        plain = {"client_id": self.client_id, "webhook_id": self.webhook_id}
        out: dict[str, Any] = {k: v.get_secret_value() for k, v in hidden.items() if v is not None}
        return out | {k: v for k, v in plain.items() if v}


class PaymentSettingsRead(Output):
    provider: str
    publishable_key: str | None = None
    client_id: str | None = None
    configured: list[str] = Field(description="names of the stored credentials (never their values)")


class PaymentCreate(Input):
    booking_id: uuid.UUID


class CardConfirm(Input):
    card_number: Annotated[str, Field(pattern=r"^[0-9]{12,19}$", examples=["4242424242424242"])]


class NextAction(Output):
    type: str
    url: str


class PaymentRead(Output):
    id: uuid.UUID
    booking_id: uuid.UUID
    provider: str
    status: PaymentStatus
    amount: Money
    client_secret: str | None = None
    approval_url: str | None = None
    # What the provider's browser script needs while the payment is open (public values only):
    # Stripe.js `Stripe(publishable_key)`, the PayPal JS SDK's `client-id` and the order id that
    # `createOrder` returns to the buttons.
    publishable_key: str | None = None
    client_id: str | None = None
    order_id: str | None = None
    failure_code: str | None = None
    next_action: NextAction | None = None
    refunded: Money | None = None
    created_at: datetime


class RefundCreate(Input):
    amount: Money | None = None
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class RefundRead(Output):
    id: uuid.UUID
    payment_id: uuid.UUID
    amount: Money
    status: str


class PaymentEventRead(Output):
    id: uuid.UUID
    source: str
    kind: str
    outcome: str
    detail: dict[str, Any]
    created_at: datetime


class DisputeRead(Output):
    """A dispute staff answer at the provider before `respond_by`; `reason` is the provider's code."""

    id: uuid.UUID
    payment_id: uuid.UUID
    booking_id: uuid.UUID
    provider: str
    amount: Money
    reason: str
    status: DisputeStatus
    respond_by: datetime | None
    opened_at: datetime
    updated_at: datetime
