"""Receipt numbers are gapless and unique per tenant and year, also when many are made at once."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import select

from reservo.contracts.events.catalog import MoneyPayload
from reservo.services.receipt.models import Receipt
from tests.conftest import Api
from tests.services.receipt.factories import confirmed, envelope, succeeded


class TestNumbering:
    async def test_100_receipts_handled_at_once_are_numbered_1_to_100(self, make_api, clock) -> None:
        api: Api = await make_api(["user", "receipt"], clock=clock)
        tenant = await api.tenant("acme")
        total = MoneyPayload(amount=1000, currency="EUR")
        bookings = [str(uuid.uuid4()) for _ in range(100)]
        payments = [
            succeeded({"id": b, "tenant_id": tenant["id"], "total": total.model_dump()}) for b in bookings
        ]
        consumer = api.runtime.consumers["receipt"]

        # Each delivery is the real handler in its own transaction, all of them in flight together
        # (the bus would run at most a few partitions at a time). The payments come first and wait;
        # each booking's confirmation numbers its receipt (D12-6).
        await asyncio.gather(*(consumer.deliver(envelope(p)) for p in payments))
        async with api.runtime.uow("receipt").read() as session:
            assert list((await session.scalars(select(Receipt))).all()) == []
        await asyncio.gather(
            *(consumer.deliver(envelope(confirmed(b, tenant["id"], total))) for b in bookings)
        )

        async with api.runtime.uow("receipt").read() as session:
            receipts = list((await session.scalars(select(Receipt))).all())
        assert sorted(r.sequence for r in receipts) == list(range(1, 101))
        assert sorted(r.number for r in receipts) == [f"ACME-2026-{n:06d}" for n in range(1, 101)]
        assert {r.payment_id for r in receipts} == {p.id for p in payments}

    async def test_a_redelivered_or_repeated_payment_gets_no_second_number(self, make_api, clock) -> None:
        api: Api = await make_api(["user", "receipt"], clock=clock)
        tenant = await api.tenant("acme")
        booking, total = str(uuid.uuid4()), MoneyPayload(amount=1000, currency="EUR")
        payment = succeeded({"id": booking, "tenant_id": tenant["id"], "total": total.model_dump()})
        consumer = api.runtime.consumers["receipt"]
        await consumer.deliver(envelope(confirmed(booking, tenant["id"], total)))  # confirmed first
        first = envelope(payment)
        await consumer.deliver(first)
        await consumer.deliver(first)  # redelivery: the inbox skips it
        await consumer.deliver(envelope(payment))  # the same payment told again in a new event

        async with api.runtime.uow("receipt").read() as session:
            numbers = list((await session.scalars(select(Receipt.number))).all())
        assert numbers == ["ACME-2026-000001"]
