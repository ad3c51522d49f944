"""Payment events for receipt tests, published through the payment service's outbox.

The payment service is built elsewhere against the same contract (contracts/events/payment.py); these
helpers put exactly what it will publish on the bus, so the receipt service is driven end to end.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from reservo.contracts.events.catalog import MoneyPayload
from reservo.contracts.events.payment import PaymentRefunded, PaymentSucceeded
from reservo.platform.events.envelope import Envelope, Event, RawEnvelope
from tests.conftest import Api

PAID_AT = datetime(2026, 6, 1, 6, 5, tzinfo=UTC)


def succeeded(booking: dict[str, Any], **overrides: Any) -> PaymentSucceeded:
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "tenant_id": booking["tenant_id"],
        "booking_id": booking["id"],
        "provider": "test",
        "provider_reference": f"test_{uuid.uuid4().hex[:12]}",
        "amount": MoneyPayload(**booking["total"]),
        "status": "succeeded",
        "method": "visa •••• 4242",
        "succeeded_at": PAID_AT,
    }
    return PaymentSucceeded(**{**fields, **overrides})


def refunded(
    payment: PaymentSucceeded, amount: int, reason: str = "Cancelled by the customer"
) -> PaymentRefunded:
    refund = MoneyPayload(amount=amount, currency=payment.amount.currency)
    return PaymentRefunded(
        **payment.model_dump(
            include={"id", "tenant_id", "booking_id", "provider", "provider_reference", "amount"}
        ),
        status="partially_refunded" if amount < payment.amount.amount else "refunded",
        refund_id=uuid.uuid4(),
        refund=refund,
        refunded_total=refund,
        reason=reason,
        refunded_at=PAID_AT,
    )


async def publish(api: Api, *events: Event, via: str = "payment") -> None:
    """Through `via`'s outbox and relay, as the producing service would; settles the bus."""
    async with api.runtime.uow(via).transaction() as tx:
        for event in events:
            tx.publish(event, tenant_id=getattr(event, "tenant_id", None))
    await api.settle()


def envelope(event: Event) -> RawEnvelope:
    return Envelope.wrap(event, tenant_id=getattr(event, "tenant_id", None), now=PAID_AT)
