"""Statements of the payment service. Payments are found by id first (ids are unguessable and the
path has no tenant), then every further statement is scoped to the payment's tenant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import upsert_insert, upsert_rows
from reservo.platform.db.tables import add_tenant_table
from reservo.services.payment.models import (
    OPEN_STATUSES,
    PAID_STATUSES,
    Base,
    BookingReplica,
    Dispute,
    Payment,
    PaymentEvent,
    ProviderAccount,
    Refund,
)

TENANTS = add_tenant_table(Base.metadata)


async def upsert_bookings(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """`upsert_booking` for rows of any tenants (each names its tenant_id), in order, one statement."""
    table = BookingReplica.__table__
    stmt = upsert_rows(session, table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={k: stmt.excluded[k] for k in rows[0] if k not in ("id", "tenant_id")},
        where=table.c.booking_version < stmt.excluded.booking_version,
    )
    await session.execute(stmt, rows)


class PaymentRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: uuid.UUID) -> None:
        self._s = session
        self._tenant_id = tenant_id

    def _payments(self) -> Select[Payment]:
        return select(Payment).where(Payment.tenant_id == self._tenant_id)

    async def tenant_slug(self) -> str | None:
        slug: str | None = await self._s.scalar(select(TENANTS.c.slug).where(TENANTS.c.id == self._tenant_id))
        return slug

    async def account(self) -> ProviderAccount | None:
        account: ProviderAccount | None = await self._s.get(ProviderAccount, self._tenant_id)
        return account

    async def save_account(
        self, provider: str, public: dict[str, Any], sealed: str | None, now: datetime
    ) -> None:
        values = {
            "tenant_id": self._tenant_id,
            "provider": provider,
            "public": public,
            "sealed": sealed,
            "updated_at": now,
        }
        table = ProviderAccount.__table__
        stmt = upsert_insert(self._s, table, values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.tenant_id], set_={k: stmt.excluded[k] for k in values}
        )
        await self._s.execute(stmt)

    async def booking(self, booking_id: uuid.UUID) -> BookingReplica | None:
        replica: BookingReplica | None = await self._s.scalar(
            select(BookingReplica).where(
                BookingReplica.tenant_id == self._tenant_id, BookingReplica.id == booking_id
            )
        )
        return replica

    async def upsert_booking(self, values: dict[str, Any]) -> None:
        """Fill or advance the replica; an older booking version never overwrites a newer one."""
        await upsert_bookings(self._s, [{**values, "tenant_id": self._tenant_id}])

    async def get(self, payment_id: uuid.UUID) -> Payment | None:
        # populate_existing: status changes are conditional UPDATEs; a re-read must see them.
        stmt = self._payments().where(Payment.id == payment_id).execution_options(populate_existing=True)
        payment: Payment | None = await self._s.scalar(stmt)
        return payment

    async def open_for(self, booking_id: uuid.UUID) -> Payment | None:
        payment: Payment | None = await self._s.scalar(
            self._payments().where(Payment.booking_id == booking_id, Payment.status.in_(OPEN_STATUSES))
        )
        return payment

    async def paid_for(self, booking_id: uuid.UUID, *, other_than: uuid.UUID | None = None) -> Payment | None:
        stmt = self._payments().where(Payment.booking_id == booking_id, Payment.status.in_(PAID_STATUSES))
        if other_than is not None:
            stmt = stmt.where(Payment.id != other_than)
        payment: Payment | None = await self._s.scalar(stmt.order_by(Payment.created_at).limit(1))
        return payment

    async def page(
        self,
        *,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
        status: str | None,
        booking_id: uuid.UUID | None = None,
    ) -> list[Payment]:
        stmt = self._payments()
        if status:
            stmt = stmt.where(Payment.status == status)
        if booking_id is not None:
            stmt = stmt.where(Payment.booking_id == booking_id)
        if after is not None:
            at, last = after
            stmt = stmt.where((Payment.created_at < at) | ((Payment.created_at == at) & (Payment.id < last)))
        stmt = stmt.order_by(Payment.created_at.desc(), Payment.id.desc()).limit(limit)
        return list(await self._s.scalars(stmt))

    async def move(self, payment_id: uuid.UUID, from_: tuple[str, ...], **values: Any) -> bool:
        """Change a payment only from the statuses given: of two deliveries racing, one wins."""
        result = await self._s.execute(
            update(Payment)
            .where(Payment.tenant_id == self._tenant_id, Payment.id == payment_id, Payment.status.in_(from_))
            .values(version=Payment.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def reserve_refund(self, payment_id: uuid.UUID, amount: int) -> bool:
        """Reserve `amount` of what is left to refund, atomically (no read-then-write)."""
        p = Payment
        result = await self._s.execute(
            update(p)
            .where(
                p.tenant_id == self._tenant_id,
                p.id == payment_id,
                p.status.in_(("succeeded", "partially_refunded")),
                p.refunded_amount + p.refund_pending_amount + amount <= p.amount,
            )
            .values(refund_pending_amount=p.refund_pending_amount + amount, version=p.version + 1)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def settle_refund(
        self, payment_id: uuid.UUID, amount: int, *, succeeded: bool, reserved: bool, now: datetime
    ) -> None:
        p = Payment
        values: dict[str, Any] = {"version": p.version + 1, "updated_at": now}
        if reserved:
            values["refund_pending_amount"] = p.refund_pending_amount - amount
        if succeeded:
            values["refunded_amount"] = p.refunded_amount + amount
        await self._s.execute(
            update(p)
            .where(p.tenant_id == self._tenant_id, p.id == payment_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        await self._s.execute(
            update(p)
            .where(
                p.tenant_id == self._tenant_id,
                p.id == payment_id,
                p.status.in_(("succeeded", "partially_refunded")),
                p.refunded_amount > 0,
            )
            .values(status=_refund_status(p))
            .execution_options(synchronize_session=False)
        )

    async def refund_by_cause(self, cause: str) -> Refund | None:
        refund: Refund | None = await self._s.scalar(
            select(Refund).where(Refund.tenant_id == self._tenant_id, Refund.cause == cause)
        )
        return refund

    async def refund(self, refund_id: uuid.UUID, *, lock: bool = False) -> Refund | None:
        """`lock`: hold the row until the transaction ends (PostgreSQL; SQLite has one writer), so two
        executors of the same refund (the API right away, the refunds job woken) settle it once."""
        stmt = select(Refund).where(Refund.tenant_id == self._tenant_id, Refund.id == refund_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        refund: Refund | None = await self._s.scalar(stmt)
        return refund

    async def refunds_in_flight(self, payment_id: uuid.UUID) -> list[Refund]:
        return list(
            await self._s.scalars(
                select(Refund)
                .where(
                    Refund.tenant_id == self._tenant_id,
                    Refund.payment_id == payment_id,
                    Refund.status == "pending",
                )
                .order_by(Refund.created_at)
            )
        )

    async def refund_by_reference(self, reference: str) -> Refund | None:
        refund: Refund | None = await self._s.scalar(
            select(Refund).where(Refund.tenant_id == self._tenant_id, Refund.provider_reference == reference)
        )
        return refund

    async def dispute(self, provider: str, reference: str) -> Dispute | None:
        dispute: Dispute | None = await self._s.scalar(
            select(Dispute).where(
                Dispute.tenant_id == self._tenant_id,
                Dispute.provider == provider,
                Dispute.provider_reference == reference,
            )
        )
        return dispute

    async def disputes(
        self, *, limit: int, after: tuple[datetime, uuid.UUID] | None, status: str | None
    ) -> list[Dispute]:
        stmt = select(Dispute).where(Dispute.tenant_id == self._tenant_id)
        if status:
            stmt = stmt.where(Dispute.status == status)
        if after is not None:
            at, last = after
            stmt = stmt.where((Dispute.opened_at < at) | ((Dispute.opened_at == at) & (Dispute.id < last)))
        stmt = stmt.order_by(Dispute.opened_at.desc(), Dispute.id.desc()).limit(limit)
        return list(await self._s.scalars(stmt))

    def add(self, row: Payment | Refund | PaymentEvent | Dispute) -> None:
        row.tenant_id = self._tenant_id
        self._s.add(row)

    async def events(self, payment_id: uuid.UUID) -> list[PaymentEvent]:
        return list(
            await self._s.scalars(
                select(PaymentEvent)
                .where(PaymentEvent.tenant_id == self._tenant_id, PaymentEvent.payment_id == payment_id)
                .order_by(PaymentEvent.created_at, PaymentEvent.id)
            )
        )


def _refund_status(p: type[Payment]) -> Any:
    from sqlalchemy import case

    return case((p.refunded_amount >= p.amount, "refunded"), else_="partially_refunded")


class PaymentIndex:
    """Lookups across tenants by a global key (a payment id in a URL, a provider's id in a webhook);
    callers continue with a tenant-scoped PaymentRepository."""

    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def tenant_of(self, payment_id: uuid.UUID) -> uuid.UUID | None:
        tenant: uuid.UUID | None = await self._s.scalar(
            select(Payment.tenant_id).where(Payment.id == payment_id)
        )
        return tenant

    async def by_reference(self, provider: str, reference: str) -> Payment | None:
        payment: Payment | None = await self._s.scalar(
            select(Payment).where(Payment.provider == provider, Payment.provider_reference == reference)
        )
        return payment

    async def by_capture(self, provider: str, reference: str) -> Payment | None:
        payment: Payment | None = await self._s.scalar(
            select(Payment).where(Payment.provider == provider, Payment.capture_reference == reference)
        )
        return payment

    async def booking_tenant(self, booking_id: uuid.UUID) -> uuid.UUID | None:
        tenant: uuid.UUID | None = await self._s.scalar(
            select(BookingReplica.tenant_id).where(BookingReplica.id == booking_id)
        )
        return tenant

    async def requested_refunds(self, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        rows = await self._s.execute(
            select(Refund.tenant_id, Refund.id)
            .where(Refund.status == "requested")
            .order_by(Refund.created_at)
            .limit(limit)
        )
        return [(r[0], r[1]) for r in rows]

    async def stuck(self, before: datetime, limit: int) -> list[Payment]:
        return list(
            await self._s.scalars(
                select(Payment)
                .where(
                    Payment.status.in_(("processing", "requires_action")),
                    Payment.updated_at <= before,
                    Payment.provider != "test",
                    Payment.provider_reference.is_not(None),
                )
                .order_by(Payment.updated_at)
                .limit(limit)
            )
        )
