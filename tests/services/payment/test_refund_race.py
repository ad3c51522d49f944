"""One refund, two executors at once (the API right after the request, and the refunds job woken at
the same moment): the money moves once and `payment.refunded` is announced once (analytics counted
a partial refund twice before the refund row was locked)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import select

from reservo.services.payment.ledger import request_refund
from reservo.services.payment.repository import PaymentRepository
from reservo.services.payment.service import PaymentService
from tests.conftest import Api
from tests.services.payment.flows import booked, confirm, pay


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_two_executors_of_one_refund_settle_it_once(api: Api) -> None:
    booking = await booked(api)
    payment = (await pay(api, booking)).json()
    paid = await confirm(api, payment, booking, "4242424242424242")
    assert paid.json()["status"] == "succeeded", paid.text
    ctx = api.runtime.contexts["payment"]
    tenant_id, payment_id = uuid.UUID(booking["tenant_id"]), uuid.UUID(payment["id"])
    async with ctx.uow.transaction() as tx:
        repo = PaymentRepository(tx.session, tenant_id=tenant_id)
        refund = await request_refund(repo, payment_id, 400, "customer asked", None, ctx.clock.now())

    service = PaymentService(ctx)
    done = await asyncio.gather(*(service.execute_refund(tenant_id, refund.id) for _ in range(2)))
    assert {r.status for r in done} == {"succeeded"}

    outbox = ctx.uow.tables.outbox
    async with ctx.uow.read() as session:
        announced = list(
            await session.scalars(select(outbox.c.envelope).where(outbox.c.type == "payment.refunded"))
        )
    assert [e["data"]["refund_id"] for e in announced] == [str(refund.id)]
    seen = await api.client.get(f"/api/v1/payments/{payment['id']}", headers=api.owner("acme"))
    assert seen.json()["refunded"]["amount"] == 400, seen.text
