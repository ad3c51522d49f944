"""Every change of a payment's status goes through here: one conditional UPDATE per change, the
payment.* event in the same transaction, the audit row beside it. Webhooks, the test page, the
reconciliation job and refunds all call these, so a status is reached (and announced) exactly once."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from reservo.contracts.events.catalog import MoneyPayload
from reservo.contracts.events.payment import PaymentFailed, PaymentRefunded, PaymentSucceeded
from reservo.platform.db.uow import Transaction
from reservo.services.payment.metrics import FAILED, REFUNDED, SUCCEEDED
from reservo.services.payment.models import OPEN_STATUSES, Payment, PaymentEvent, Refund
from reservo.services.payment.repository import PaymentRepository


def audit(
    repo: PaymentRepository,
    payment_id: uuid.UUID | None,
    source: str,
    kind: str,
    outcome: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
    external_id: str | None = None,
) -> None:
    repo.add(
        PaymentEvent(
            id=uuid.uuid4(),
            payment_id=payment_id,
            source=source,
            kind=kind,
            outcome=outcome,
            detail=detail or {},
            external_id=external_id,
            created_at=now,
        )
    )


def _fields(p: Payment, status: str) -> dict[str, Any]:
    return {
        "id": p.id,
        "tenant_id": p.tenant_id,
        "booking_id": p.booking_id,
        "provider": p.provider,
        "provider_reference": p.provider_reference,
        "amount": MoneyPayload(amount=p.amount, currency=p.currency),
        "status": status,
    }


async def succeed(
    tx: Transaction, repo: PaymentRepository, p: Payment, now: datetime, *, method: str, **values: Any
) -> bool:
    """Open (or failed: Stripe lets a declined intent be retried) -> succeeded, announced once."""
    if not await repo.move(
        p.id,
        (*OPEN_STATUSES, "failed"),
        status="succeeded",
        succeeded_at=now,
        updated_at=now,
        method=method,
        failure_code=None,
        failure_message=None,
        next_action=None,
        **values,
    ):
        return False
    p.status = "succeeded"
    for key, value in values.items():
        setattr(p, key, value)
    tx.publish(
        PaymentSucceeded(**_fields(p, "succeeded"), method=method, succeeded_at=now), tenant_id=p.tenant_id
    )
    SUCCEEDED.labels(p.provider).inc()
    return True


async def fail(
    tx: Transaction, repo: PaymentRepository, p: Payment, now: datetime, *, code: str, message: str | None
) -> bool:
    if not await repo.move(
        p.id,
        OPEN_STATUSES,
        status="failed",
        failure_code=code,
        failure_message=message,
        next_action=None,
        updated_at=now,
    ):
        return False
    p.status, p.failure_code, p.failure_message = "failed", code, message
    tx.publish(
        PaymentFailed(**_fields(p, "failed"), failure_code=code, failure_message=message, failed_at=now),
        tenant_id=p.tenant_id,
    )
    FAILED.labels(p.provider, code).inc()
    return True


async def refunded(
    tx: Transaction, repo: PaymentRepository, p: Payment, refund: Refund, now: datetime, *, reserved: bool
) -> None:
    """A refund succeeded at the provider: count it and announce it."""
    await repo.settle_refund(p.id, refund.amount, succeeded=True, reserved=reserved, now=now)
    refund.status = "succeeded"
    total = p.refunded_amount + refund.amount
    status = "refunded" if total >= p.amount else "partially_refunded"
    p.refunded_amount, p.status = total, status
    tx.publish(
        PaymentRefunded(
            **_fields(p, status),
            refund_id=refund.id,
            refund=MoneyPayload(amount=refund.amount, currency=refund.currency),
            refunded_total=MoneyPayload(amount=total, currency=p.currency),
            reason=refund.reason,
            refunded_at=now,
        ),
        tenant_id=p.tenant_id,
    )
    REFUNDED.labels(p.provider).inc()
