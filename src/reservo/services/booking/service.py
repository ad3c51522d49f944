"""Booking use cases: a booking is a hold on capacity until it is paid."""

from __future__ import annotations

import uuid
from datetime import timedelta

from reservo.contracts.events.booking import BookingCreated, CustomerPayload
from reservo.contracts.events.catalog import MoneyPayload
from reservo.platform.auth.actor import Actor
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.booking.errors import BookingNotFound, OfferingNotBookable, OfferingNotFound, SoldOut
from reservo.services.booking.models import Booking
from reservo.services.booking.repository import BookingRepository
from reservo.services.booking.schemas import BookingCreate


class BookingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def create(self, tenant: TenantRef, actor: Actor | None, data: BookingCreate) -> Booking:
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = BookingRepository(tx.session, tenant_id=tenant.id)
            offering = await repo.offering(data.offering_id)
            if offering is None:
                raise OfferingNotFound(f"No offering {data.offering_id}")
            if offering.status != "published":
                raise OfferingNotBookable(f"Offering {offering.id} is {offering.status}")
            counter = await repo.counter_of(offering.id)
            if counter is None or not await repo.claim(counter.id, data.quantity):
                raise SoldOut(f"Fewer than {data.quantity} left for {offering.name}")
            booking = repo.add(
                Booking(
                    id=uuid.uuid4(),
                    offering_id=offering.id,
                    counter_id=counter.id,
                    quantity=data.quantity,
                    status="pending",
                    customer_name=data.customer.name,
                    customer_email=str(data.customer.email).lower(),
                    customer_user_id=actor.user_id if actor else None,
                    total_amount=offering.price_amount * data.quantity,
                    currency=offering.currency,
                    expires_at=now + timedelta(minutes=self._ctx.settings.booking_hold_minutes),
                    created_at=now,
                    updated_at=now,
                )
            )
            tx.publish(
                BookingCreated(
                    id=booking.id,
                    tenant_id=tenant.id,
                    offering_id=offering.id,
                    offering_name=offering.name,
                    quantity=booking.quantity,
                    status=booking.status,
                    total=MoneyPayload(amount=booking.total_amount, currency=booking.currency),
                    customer=CustomerPayload(name=booking.customer_name, email=booking.customer_email),
                    expires_at=booking.expires_at,
                ),
                tenant_id=tenant.id,
            )
        return booking

    async def get(self, tenant: TenantRef, booking_id: uuid.UUID) -> Booking:
        async with self._ctx.uow.read() as session:
            booking = await BookingRepository(session, tenant_id=tenant.id).get(booking_id)
        if booking is None:
            raise BookingNotFound(f"No booking {booking_id}")
        return booking
