"""HTTP routes of the payment service (shapes pinned by issue 11)."""

from __future__ import annotations

import html
import uuid
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import HTMLResponse

from reservo.contracts.events.payment import DisputeStatus, PaymentStatus
from reservo.platform.auth.deps import Anyone, TenantOwner, TenantStaff
from reservo.platform.http.pagination import Page, PageQuery
from reservo.platform.http.problems import (
    DependencyUnavailable,
    IdempotencyKeyReused,
    ValidationFailed,
    problem_responses,
)
from reservo.platform.schemas import Money
from reservo.platform.tenancy import TenantNotFound
from reservo.services.payment import disputes
from reservo.services.payment.deps import CallerDep, Context, Payments, Tenant, WebhookService
from reservo.services.payment.errors import (
    AlreadyPaid,
    AuthenticationLinkInvalid,
    BookingNotFound,
    BookingNotPayable,
    CurrencyMismatch,
    NotPayPal,
    NotRefundable,
    NotTestProvider,
    OrderNotApproved,
    PaymentNotFound,
    PaymentNotOpen,
    ProviderNotConfigured,
    RefundTooLarge,
    StaffOnly,
    WebhookMalformed,
    WebhookSignatureInvalid,
)
from reservo.services.payment.models import Dispute, Payment, Refund
from reservo.services.payment.providers.base import ProviderRejected, ProviderUnavailable
from reservo.services.payment.schemas import (
    CardConfirm,
    DisputeRead,
    NextAction,
    PaymentCreate,
    PaymentEventRead,
    PaymentRead,
    PaymentSettingsPut,
    PaymentSettingsRead,
    RefundCreate,
    RefundRead,
)

router = APIRouter(prefix="/api/v1", tags=["payments"])


def read(p: Payment, public: dict[str, Any] | None = None) -> PaymentRead:
    """`public`: the tenant's public provider values (D13-9), given where the browser pays (also
    after a failure: the buyer pays again with the same script)."""
    shown = public or {}
    return PaymentRead(
        id=p.id,
        booking_id=p.booking_id,
        provider=p.provider,
        status=p.status,
        amount=Money(amount=p.amount, currency=p.currency),
        client_secret=p.client_secret if p.status in ("requires_payment_method", "requires_action") else None,
        approval_url=p.approval_url if p.status == "requires_action" else None,
        publishable_key=shown.get("publishable_key") if p.provider == "stripe" else None,
        client_id=shown.get("client_id") if p.provider == "paypal" else None,
        order_id=p.provider_reference if p.provider == "paypal" and p.status == "requires_action" else None,
        failure_code=p.failure_code,
        next_action=NextAction(**p.next_action) if p.next_action and p.status == "requires_action" else None,
        refunded=Money(amount=p.refunded_amount, currency=p.currency) if p.refunded_amount else None,
        created_at=p.created_at,
    )


def read_refund(r: Refund) -> RefundRead:
    return RefundRead(
        id=r.id, payment_id=r.payment_id, amount=Money(amount=r.amount, currency=r.currency), status=r.status
    )


def read_dispute(d: Dispute) -> DisputeRead:
    return DisputeRead(
        id=d.id,
        payment_id=d.payment_id,
        booking_id=d.booking_id,
        provider=d.provider,
        amount=Money(amount=d.amount, currency=d.currency),
        reason=d.reason,
        status=d.status,
        respond_by=d.respond_by,
        opened_at=d.opened_at,
        updated_at=d.updated_at,
    )


@router.put("/tenants/{tenant}/payment-settings", responses=problem_responses(TenantNotFound))
async def put_payment_settings(
    tenant: Tenant, body: PaymentSettingsPut, _: TenantOwner, payments: Payments
) -> PaymentSettingsRead:
    """Choose the tenant's provider; credentials are stored encrypted and never returned."""
    return PaymentSettingsRead(**await payments.put_settings(tenant, body))


@router.get("/tenants/{tenant}/payment-settings", responses=problem_responses(TenantNotFound))
async def get_payment_settings(tenant: Tenant, _: TenantStaff, payments: Payments) -> PaymentSettingsRead:
    return PaymentSettingsRead(**await payments.get_settings(tenant))


@router.get("/tenants/{tenant}/payments", responses=problem_responses(TenantNotFound))
async def list_payments(
    tenant: Tenant,
    _: TenantStaff,
    payments: Payments,
    page: PageQuery,
    status: PaymentStatus | None = None,
    booking_id: Annotated[uuid.UUID | None, Query(description="only this booking's payments")] = None,
) -> Page[PaymentRead]:
    items, cursor = await payments.page(tenant, page, status, booking_id)
    return Page[PaymentRead](items=[read(p) for p in items], next_cursor=cursor)


@router.get("/tenants/{tenant}/disputes", responses=problem_responses(TenantNotFound))
async def list_disputes(
    tenant: Tenant, _: TenantStaff, ctx: Context, page: PageQuery, status: DisputeStatus | None = None
) -> Page[DisputeRead]:
    """Disputes (chargebacks) of the tenant's payments, newest first: answer each at the provider
    before `respond_by`."""
    items, cursor = await disputes.page(ctx, tenant, page, status)
    return Page[DisputeRead](items=[read_dispute(d) for d in items], next_cursor=cursor)


@router.post(
    "/payments",
    status_code=201,
    responses=problem_responses(
        BookingNotFound,
        AlreadyPaid,
        BookingNotPayable,
        ProviderUnavailable,
        ProviderRejected,
        DependencyUnavailable,
    ),
)
async def create_payment(
    body: PaymentCreate, caller: CallerDep, payments: Payments, response: Response
) -> PaymentRead:
    """The booking's customer, its guest credential (X-Booking-Token) or staff. 200 with the open
    payment when there already is one for the booking."""
    payment, created = await payments.create(caller, body.booking_id)
    if not created:
        response.status_code = 200
    return read(payment, await payments.public_values(payment))


@router.get("/payments/{payment_id}", responses=problem_responses(PaymentNotFound))
async def get_payment(payment_id: uuid.UUID, caller: CallerDep, payments: Payments) -> PaymentRead:
    payment = await payments.get(caller, payment_id)
    return read(payment, await payments.public_values(payment))


@router.post(
    "/payments/{payment_id}/confirm",
    responses=problem_responses(PaymentNotFound, NotTestProvider, PaymentNotOpen),
)
async def confirm_payment(
    payment_id: uuid.UUID, body: CardConfirm, caller: CallerDep, payments: Payments
) -> PaymentRead:
    """Test provider only: Stripe's test card numbers decide the outcome."""
    return read(await payments.confirm_card(caller, payment_id, body.card_number))


@router.post(
    "/payments/{payment_id}/capture",
    responses=problem_responses(PaymentNotFound, NotPayPal, OrderNotApproved, ProviderUnavailable),
)
async def capture_payment(
    payment_id: uuid.UUID, caller: CallerDep, payments: Payments, webhooks: WebhookService
) -> PaymentRead:
    """PayPal: capture the order the buyer just approved (the buttons' onApprove), so the booking is
    confirmed without waiting for PayPal's webhook; whichever comes first captures, once (same
    PayPal-Request-Id). A declined funding source answers the payment `failed` (`instrument_declined`):
    the buyer pays again, with a new order."""
    payment = await payments.get(caller, payment_id)
    if payment.provider != "paypal":
        raise NotPayPal()
    if payment.status == "requires_action" and payment.provider_reference is not None:
        try:
            await webhooks.capture_paypal(payment)
        except ProviderRejected as exc:
            if exc.extra.get("provider_code") == "ORDER_NOT_APPROVED":
                raise OrderNotApproved() from exc
            raise
    fresh = await payments.get(caller, payment_id)
    return read(fresh, await payments.public_values(fresh))


@router.post(
    "/payments/{payment_id}/refunds",
    status_code=201,
    responses=problem_responses(
        PaymentNotFound,
        StaffOnly,
        NotRefundable,
        RefundTooLarge,
        CurrencyMismatch,
        IdempotencyKeyReused,
        ProviderNotConfigured,
    ),
)
async def create_refund(
    payment_id: uuid.UUID,
    body: RefundCreate,
    caller: CallerDep,
    payments: Payments,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> RefundRead:
    """Staff of the payment's tenant (checked against the payment, whose path has no tenant)."""
    return read_refund(await payments.refund_by_staff(caller, payment_id, body, idempotency_key))


@router.get("/payments/{payment_id}/events", responses=problem_responses(PaymentNotFound, StaffOnly))
async def list_payment_events(
    payment_id: uuid.UUID, caller: CallerDep, payments: Payments
) -> list[PaymentEventRead]:
    """The audit trail (provider calls, webhooks), for the tenant's staff."""
    return [PaymentEventRead.model_validate(e) for e in await payments.events(caller, payment_id)]


PAGE = """<!doctype html><html lang="en">
<head><meta charset="utf-8">
<title>Authenticate payment</title></head><body><main>
<h1>Test bank: authenticate this payment</h1><p>{amount}</p>
<form method="post"><input type="hidden" name="token" value="{token}">
<button name="decision" value="approve">Approve</button>
<button name="decision" value="refuse">Refuse</button>
</form></main></body></html>"""


@router.get(
    "/payments/{payment_id}/authenticate",
    response_class=HTMLResponse,
    responses=problem_responses(PaymentNotFound, AuthenticationLinkInvalid),
)
async def authentication_page(
    payment_id: uuid.UUID, _: Anyone, payments: Payments, token: Annotated[str, Query(max_length=200)]
) -> HTMLResponse:
    """The test provider's stand-in for a bank's 3-D Secure page (next_action.url)."""
    payment = await payments.authenticate_view(payment_id, token)
    amount = f"{payment.amount / 100:.2f} {payment.currency}, now {payment.status}"
    return HTMLResponse(PAGE.format(amount=html.escape(amount), token=html.escape(token)))


@router.post(
    "/payments/{payment_id}/authenticate",
    responses=problem_responses(PaymentNotFound, AuthenticationLinkInvalid),
)
async def authenticate_payment(
    payment_id: uuid.UUID, request: Request, _: Anyone, payments: Payments
) -> PaymentRead:
    """The page's form (urlencoded `token` and `decision` = approve | refuse)."""
    form = parse_qs((await request.body()).decode("utf-8", "replace")[:2000])
    token, decision = form.get("token", [""])[0], form.get("decision", [""])[0]
    if decision not in ("approve", "refuse"):
        raise ValidationFailed("`decision` must be approve or refuse")
    return read(await payments.authenticate(payment_id, token, decision == "approve"))


@router.post("/webhooks/stripe", responses=problem_responses(WebhookSignatureInvalid, WebhookMalformed))
async def stripe_webhook(request: Request, _: Anyone, webhooks: WebhookService) -> dict[str, str]:
    """Verified with the tenant's signing secret (Stripe-Signature), applied once per event id."""
    outcome = await webhooks.stripe(await request.body(), request.headers.get("Stripe-Signature"))
    return {"received": "true", "outcome": outcome}


@router.post("/webhooks/paypal", responses=problem_responses(WebhookSignatureInvalid, WebhookMalformed))
async def paypal_webhook(request: Request, _: Anyone, webhooks: WebhookService) -> dict[str, str]:
    outcome = await webhooks.paypal(await request.body(), dict(request.headers))
    return {"received": "true", "outcome": outcome}
