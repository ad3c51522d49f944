"""Receipts: numbered in the handler's transaction, printed and stored by a job, served to their owners."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import structlog

from reservo.contracts.events.catalog import MoneyPayload
from reservo.contracts.events.payment import PaymentEvent, PaymentSucceeded
from reservo.contracts.events.receipt import ReceiptGenerated
from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.links import link_token_ok
from reservo.platform.db.uow import Transaction
from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.platform.storage import ObjectMissing
from reservo.platform.tenancy import TenantRef
from reservo.services.receipt.errors import ReceiptNotFound
from reservo.services.receipt.models import BookingCopy, Receipt
from reservo.services.receipt.pdf import Document, render_pdf
from reservo.services.receipt.places import place_of
from reservo.services.receipt.repository import (
    ReceiptRepository,
    payments_of_confirmed_bookings,
    pending_receipts,
)

log = structlog.get_logger(__name__)
RENDER_JOB = "render_receipts"
SERIES_SUFFIX = {"receipt": "", "credit_note": "-CN"}


class TenantNotYetKnown(LookupError):
    """The tenant's replica has not arrived: the consumer retries with backoff."""


def prefix_of(slug: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", slug.upper())[:12] or "R"


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year:04d}-{sequence:06d}"


async def number_document(
    tx: Transaction,
    ctx: ServiceContext,
    *,
    kind: str,
    receipt_id: uuid.UUID,
    payment: PaymentEvent,
    amount: int,
    method: str | None,
    paid_at: datetime,
    refers_to: str | None = None,
    refund_id: uuid.UUID | None = None,
    reason: str | None = None,
) -> Receipt:
    """Give the document the next number of its tenant's series in this transaction."""
    repo = ReceiptRepository(tx.session, tenant_id=payment.tenant_id)
    tenant, _profile = await repo.tenant()
    if tenant is None:
        raise TenantNotYetKnown(f"tenant {payment.tenant_id} not replicated yet")
    year = ctx.clock.now().astimezone(ZoneInfo(tenant.timezone)).year
    sequence = await repo.next_number(kind, year)
    receipt = repo.add(
        Receipt(
            id=receipt_id,
            tenant_id=payment.tenant_id,
            kind=kind,
            number=format_number(prefix_of(tenant.slug) + SERIES_SUFFIX[kind], year, sequence),
            year=year,
            sequence=sequence,
            refers_to=refers_to,
            booking_id=payment.booking_id,
            payment_id=payment.id,
            refund_id=refund_id,
            amount=amount,
            currency=payment.amount.currency,
            provider=payment.provider,
            provider_reference=payment.provider_reference,
            method=method,
            reason=reason,
            paid_at=paid_at,
            status="pending",
            created_at=ctx.clock.now(),
        )
    )
    await tx.session.flush()
    tx.after_commit(lambda: ctx.wake(RENDER_JOB))
    return receipt


async def issue_receipt(tx: Transaction, ctx: ServiceContext, payment: PaymentSucceeded) -> None:
    """Number the receipt of a payment its booking took (confirmed), once: the claim is a conditional
    UPDATE, so the handlers and the render job racing for one payment number it once (D12-6)."""
    repo = ReceiptRepository(tx.session, tenant_id=payment.tenant_id)
    if not await repo.claim_payment(payment.id, ctx.clock.now()):
        return
    await number_document(
        tx,
        ctx,
        kind="receipt",
        receipt_id=uuid.uuid5(payment.id, "receipt"),
        payment=payment,
        amount=payment.amount.amount,
        method=payment.method,
        paid_at=payment.succeeded_at,
    )


async def _issue_for_confirmed_bookings(ctx: ServiceContext) -> None:
    """A payment handler and the confirmation's handler running at once may each miss the other's
    row; whichever commits last wakes this job, which sees both."""
    async with ctx.uow.read() as session:
        waiting = await payments_of_confirmed_bookings(session, limit=50)
    for seen in waiting:
        async with ctx.uow.transaction() as tx:
            await issue_receipt(tx, ctx, PaymentSucceeded.model_validate(seen.payment))


def storage_key(receipt: Receipt) -> str:
    return f"receipts/{receipt.tenant_id}/{receipt.number}.pdf"


async def _document(ctx: ServiceContext, receipt: Receipt) -> tuple[Document, BookingCopy] | None:
    async with ctx.uow.read() as session:
        repo = ReceiptRepository(session, tenant_id=receipt.tenant_id)
        booking = await repo.booking(receipt.booking_id)
        tenant, profile = await repo.tenant()
        place = (
            await place_of(session, receipt.tenant_id, booking.offering_id)
            if booking is not None and booking.offering_id is not None
            else None
        )
    if booking is None or tenant is None:
        return None
    doc = Document(
        kind=receipt.kind,
        number=receipt.number,
        refers_to=receipt.refers_to,
        issued_at=receipt.created_at,
        paid_at=receipt.paid_at,
        booking_id=str(receipt.booking_id),
        tenant_name=tenant.name,
        tenant_address=profile.address if profile else None,
        tenant_tax_id=profile.tax_id if profile else None,
        timezone=tenant.timezone,
        locale=profile.locale if profile else None,
        color=(profile.branding or {}).get("primary_color") if profile else None,
        customer_name=booking.customer_name,
        customer_email=booking.customer_email,
        offering_name=booking.offering_name,
        variant_name=booking.variant_name,
        starts_at=booking.starts_at,
        quantity=booking.quantity,
        unit_amount=booking.unit_amount,
        line_amount=receipt.amount,
        tax_rate_bp=booking.tax_rate_bp,
        currency=receipt.currency,
        method=receipt.method,
        provider=receipt.provider,
        provider_reference=receipt.provider_reference,
        reason=receipt.reason,
        venue=place.address if place else None,
        venue_map_url=place.map_url if place else None,
    )
    return doc, booking


async def render_receipts(ctx: ServiceContext) -> int:
    """Print and store pending receipts whose booking is known, then announce them.

    The PDF is written before the row says `stored`: a crash in between prints it again under the
    same key (an overwrite), and only the renderer whose conditional update wins publishes the event.
    Small batches, so a stopping worker is never held up for long. First it numbers the receipts of
    payments whose booking was confirmed while their handler ran.
    """
    await _issue_for_confirmed_bookings(ctx)
    async with ctx.uow.read() as session:
        batch = await pending_receipts(session, limit=8)
    done = 0
    for receipt in batch:
        found = await _document(ctx, receipt)
        if found is None:
            continue
        doc, booking = found
        pdf = await asyncio.to_thread(render_pdf, doc)
        key = storage_key(receipt)
        await ctx.storage.put(key, pdf, content_type="application/pdf")
        now = ctx.clock.now()
        async with ctx.uow.transaction() as tx:
            repo = ReceiptRepository(tx.session, tenant_id=receipt.tenant_id)
            if not await repo.mark_stored(receipt.id, {"storage_key": key, "generated_at": now}):
                continue
            event = ReceiptGenerated(
                id=receipt.id,
                tenant_id=receipt.tenant_id,
                booking_id=receipt.booking_id,
                payment_id=receipt.payment_id,
                refund_id=receipt.refund_id,
                kind=receipt.kind,
                number=receipt.number,
                refers_to=receipt.refers_to,
                total=MoneyPayload(amount=receipt.amount, currency=receipt.currency),
                storage_key=key,
                customer_email=booking.customer_email,
                generated_at=now,
            )
            tx.publish(event, tenant_id=receipt.tenant_id)
        done += 1
        log.info("receipt.generated", number=receipt.number, tenant_id=str(receipt.tenant_id))
    return done


RENDER = PeriodicJob(RENDER_JOB, every_seconds=5.0, run=render_receipts)


class ReceiptService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def _may_read(
        self, tenant: TenantRef, booking: BookingCopy, actor: Actor | None, token: str | None
    ) -> bool:
        if actor is not None and (
            actor.is_admin
            or actor.role_in(tenant.slug) in (Role.staff, Role.owner)
            or (booking.customer_user_id is not None and actor.user_id == booking.customer_user_id)
        ):
            return True
        secret = self._ctx.settings.secret_key.get_secret_value()
        return token is not None and link_token_ok(secret, "booking.guest", booking.id, token)

    async def pdf(
        self, tenant: TenantRef, booking_id: uuid.UUID, actor: Actor | None, token: str | None, kind: str
    ) -> tuple[str, bytes]:
        """The newest stored receipt (or credit note) of the booking: (number, PDF bytes)."""
        async with self._ctx.uow.read() as session:
            repo = ReceiptRepository(session, tenant_id=tenant.id)
            booking = await repo.booking(booking_id)
            receipt = await repo.latest_for_booking(booking_id, kind)
        # Whoever may not read it learns nothing, not even that the booking exists.
        if booking is None or not self._may_read(tenant, booking, actor, token):
            raise ReceiptNotFound(f"No receipt for booking {booking_id} that you may read")
        if receipt is None or receipt.storage_key is None:
            raise ReceiptNotFound(f"No receipt for booking {booking_id} yet")
        try:
            return receipt.number, await self._ctx.storage.get(receipt.storage_key)
        except ObjectMissing as exc:
            raise ReceiptNotFound(f"The file of receipt {receipt.number} is missing") from exc
