"""Disputes (chargebacks): what Stripe's `charge.dispute.*` and PayPal's `CUSTOMER.DISPUTE.*` webhooks
say, kept as one row per dispute that staff list; `payment.dispute_opened` is published once.

Both providers' shapes become one `Seen` (our status, the provider's reason code and deadline).
Deliveries repeat and arrive out of order: a decided dispute (won, lost) is never moved back, and
the first delivery of any kind opens the row (and announces it).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reservo.contracts.events.catalog import MoneyPayload
from reservo.contracts.events.payment import DisputeOpened, DisputeStatus
from reservo.platform.db.uow import Transaction
from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.payment.models import Dispute, Payment
from reservo.services.payment.providers.paypal import from_value
from reservo.services.payment.repository import PaymentRepository

DECIDED = ("won", "lost")

# Stripe dispute.status -> ours (docs.stripe.com/api/disputes/object).
_STRIPE = {
    "warning_needs_response": "needs_response",
    "needs_response": "needs_response",
    "warning_under_review": "under_review",
    "under_review": "under_review",
    "warning_closed": "won",  # an inquiry closed without becoming a chargeback
    "won": "won",
    "lost": "lost",
}
# PayPal dispute status -> ours; RESOLVED is decided by dispute_outcome.outcome_code.
_PAYPAL = {"WAITING_FOR_SELLER_RESPONSE": "needs_response", "OPEN": "needs_response"}
_PAYPAL_WON = ("RESOLVED_SELLER_FAVOUR", "CANCELED_BY_BUYER", "DENIED")


@dataclass(frozen=True, slots=True)
class Seen:
    """One delivery's view of a dispute."""

    reference: str
    amount: int
    currency: str
    reason: str
    status: DisputeStatus
    provider_status: str
    respond_by: datetime | None


def from_stripe(obj: dict[str, Any]) -> Seen:
    due = (obj.get("evidence_details") or {}).get("due_by")
    provider_status = str(obj["status"])
    return Seen(
        reference=str(obj["id"]),
        amount=int(obj["amount"]),
        currency=str(obj["currency"]).upper(),
        reason=str(obj.get("reason") or "general").lower(),
        status=_STRIPE.get(provider_status, "under_review"),  # type: ignore[arg-type]
        provider_status=provider_status,
        respond_by=datetime.fromtimestamp(int(due), UTC) if due else None,
    )


def from_paypal(resource: dict[str, Any]) -> Seen:
    provider_status = str(resource.get("status") or "OPEN")
    status: DisputeStatus = _PAYPAL.get(provider_status, "under_review")  # type: ignore[assignment]
    if provider_status == "RESOLVED":
        outcome = (resource.get("dispute_outcome") or {}).get("outcome_code")
        status = "won" if outcome in _PAYPAL_WON else "lost"
    amount = resource.get("dispute_amount") or {}
    currency = str(amount["currency_code"]).upper()
    due = resource.get("seller_response_due_date")
    return Seen(
        reference=str(resource["dispute_id"]),
        amount=from_value(str(amount["value"]), currency),
        currency=currency,
        reason=str(resource.get("reason") or "other").lower(),
        status=status,
        provider_status=provider_status,
        respond_by=datetime.fromisoformat(due.replace("Z", "+00:00")) if due else None,
    )


def paypal_capture(resource: dict[str, Any]) -> str | None:
    """The capture id a PayPal dispute names (our payment's capture_reference)."""
    for transaction in resource.get("disputed_transactions") or []:
        if reference := transaction.get("seller_transaction_id"):
            return str(reference)
    return None


async def record(tx: Transaction, repo: PaymentRepository, p: Payment, seen: Seen, now: datetime) -> str:
    """Open or update the dispute; the webhook's outcome for the audit trail."""
    dispute = await repo.dispute(p.provider, seen.reference)
    if dispute is None:
        dispute = Dispute(
            id=uuid.uuid4(),
            payment_id=p.id,
            booking_id=p.booking_id,
            provider=p.provider,
            provider_reference=seen.reference,
            amount=seen.amount,
            currency=seen.currency,
            reason=seen.reason,
            status=seen.status,
            provider_status=seen.provider_status,
            respond_by=seen.respond_by,
            opened_at=now,
            updated_at=now,
        )
        repo.add(dispute)
        tx.publish(
            DisputeOpened(
                id=dispute.id,
                tenant_id=p.tenant_id,
                payment_id=p.id,
                booking_id=p.booking_id,
                provider=p.provider,
                amount=MoneyPayload(amount=seen.amount, currency=seen.currency),
                reason=seen.reason,
                status=seen.status,
                respond_by=seen.respond_by,
                opened_at=now,
            ),
            tenant_id=p.tenant_id,
        )
        return "dispute_opened"
    if dispute.status in DECIDED:
        return "no_change"  # a late delivery never reopens a decided dispute
    dispute.status = seen.status
    dispute.provider_status = seen.provider_status
    dispute.respond_by = seen.respond_by or dispute.respond_by
    dispute.updated_at = now
    return "dispute_updated"


async def page(
    ctx: ServiceContext, tenant: TenantRef, params: PageParams, status: str | None
) -> tuple[list[Dispute], str | None]:
    after = (params.cursor.at, params.cursor.id) if params.cursor else None
    async with ctx.uow.read() as session:
        items = await PaymentRepository(session, tenant_id=tenant.id).disputes(
            limit=params.limit + 1, after=after, status=status
        )
    cursor = None
    if len(items) > params.limit:
        items = items[: params.limit]
        cursor = encode_cursor(items[-1].opened_at, items[-1].id)
    return items, cursor
