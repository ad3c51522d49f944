"""Events of the receipt service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from reservo.contracts.money import MoneyPayload
from reservo.platform.events.envelope import Event, register


@register
class ReceiptGenerated(Event):
    """A receipt (on payment.succeeded) or a credit note (on payment.refunded) was numbered and stored.

    `storage_key` names the PDF in the receipt service's storage; other services fetch it through the
    receipt API or, for attachments, the storage the deployment shares with the mailer.
    """

    TYPE = "receipt.generated"
    id: uuid.UUID
    tenant_id: uuid.UUID
    booking_id: uuid.UUID
    payment_id: uuid.UUID
    refund_id: uuid.UUID | None = None
    kind: Literal["receipt", "credit_note"]
    number: str  # {PREFIX}-{YYYY}-{000001}, gapless per tenant and year
    refers_to: str | None = None  # a credit note's receipt number
    total: MoneyPayload
    storage_key: str
    customer_email: str
    generated_at: datetime

    @property
    def key(self) -> str:
        return str(self.booking_id)
