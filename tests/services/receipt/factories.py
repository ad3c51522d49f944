"""Payment (and booking) events for receipt tests, published through the producer's outbox.

The payment service is built elsewhere against the same contract (contracts/events/payment.py); these
helpers put exactly what it will publish on the bus, so the receipt service is driven end to end.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from reservo.contracts.events.booking import BookingConfirmed, BookingCreated, CustomerPayload
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


def booking_facts(booking_id: str, tenant_id: str, total: MoneyPayload) -> dict[str, Any]:
    """What every booking event says, for a booking the booking service is not running to announce."""
    return {
        "id": booking_id,
        "tenant_id": tenant_id,
        "offering_id": booking_id,
        "offering_name": "Haircut",
        "offering_kind": "service",
        "quantity": 1,
        "unit_price": total,
        "total": total,
        "tax_rate_bp": 700,
        "currency": total.currency,
        "customer": CustomerPayload(name="Zoë Ångström", email="zoe@example.com"),
        "expires_at": PAID_AT,
        "created_at": PAID_AT,
    }


def created(booking_id: str, tenant_id: str, total: MoneyPayload) -> BookingCreated:
    return BookingCreated(
        **booking_facts(booking_id, tenant_id, total),
        status="pending",
        booking_version=1,
        manage_url=f"http://localhost:8000/t/acme/bookings/{booking_id}",
    )


def confirmed(booking_id: str, tenant_id: str, total: MoneyPayload) -> BookingConfirmed:
    return BookingConfirmed(
        **booking_facts(booking_id, tenant_id, total),
        status="confirmed",
        booking_version=2,
        confirmed_at=PAID_AT,
    )


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
