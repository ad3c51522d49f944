"""Periodic work of the payment service: run requested refunds; ask providers about stuck payments."""

from __future__ import annotations

from datetime import timedelta

import structlog

from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.services.payment.ledger import audit, fail, succeed
from reservo.services.payment.providers.base import ProviderRejected, ProviderUnavailable
from reservo.services.payment.repository import PaymentIndex, PaymentRepository
from reservo.services.payment.service import PaymentService

log = structlog.get_logger(__name__)


async def run_refunds(ctx: ServiceContext, *, batch: int = 50) -> int:
    """Refunds recorded as requested (by a cancellation, a rejected payment, or an API call whose
    provider timed out) are asked of the provider with their own id as idempotency key."""
    async with ctx.uow.read() as session:
        due = await PaymentIndex(session).requested_refunds(batch)
    service = PaymentService(ctx)
    done = 0
    for tenant_id, refund_id in due:
        refund = await service.execute_refund(tenant_id, refund_id)
        done += refund.status != "requested"
    return done


async def reconcile(ctx: ServiceContext, *, batch: int = 50) -> int:
    """Payments left `processing` (or awaiting PayPal approval) for a while: ask the provider, which
    answers from its own state, and apply what it says exactly as a webhook would."""
    service = PaymentService(ctx)
    now = ctx.clock.now()
    before = now - timedelta(seconds=service.settings.reconcile_after_seconds)
    async with ctx.uow.read() as session:
        stuck = await PaymentIndex(session).stuck(before, batch)
    moved = 0
    for p in stuck:
        assert p.provider_reference is not None
        try:
            async with ctx.uow.read() as session:
                provider = await service.provider_for(
                    PaymentRepository(session, tenant_id=p.tenant_id), p.provider
                )
            intent = await provider.retrieve(p.provider_reference)
            if p.provider == "paypal" and intent.status == "processing":
                intent = await provider.capture(p.provider_reference, f"capture-{p.id}")
        except (ProviderUnavailable, ProviderRejected) as exc:
            log.warning("payment.reconcile_failed", payment_id=str(p.id), error=repr(exc))
            continue
        async with ctx.uow.transaction() as tx:
            repo = PaymentRepository(tx.session, tenant_id=p.tenant_id)
            audit(repo, p.id, p.provider, "reconcile", intent.status, ctx.clock.now(), intent.raw)
            if intent.status == "succeeded":
                changes = {"capture_reference": intent.capture_reference} if intent.capture_reference else {}
                moved += await succeed(
                    tx, repo, p, ctx.clock.now(), method=intent.method or p.provider, **changes
                )
            elif intent.status == "failed":
                moved += await fail(
                    tx,
                    repo,
                    p,
                    ctx.clock.now(),
                    code=intent.failure_code or "failed",
                    message=intent.failure_message,
                )
            else:
                await repo.move(p.id, (p.status,), updated_at=ctx.clock.now())  # asked; wait another round
    return moved


async def _refunds_job(ctx: ServiceContext) -> int:
    return await run_refunds(ctx)


async def _reconcile_job(ctx: ServiceContext) -> int:
    return await reconcile(ctx)


REFUNDS = PeriodicJob(name="refunds", every_seconds=30.0, run=_refunds_job)
RECONCILE = PeriodicJob(name="reconcile", every_seconds=60.0, run=_reconcile_job)
