"""Events of the booking service."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from reservo.contracts.events.catalog import MoneyPayload
from reservo.platform.events.envelope import Event, register


class CustomerPayload(BaseModel):
    name: str
    email: str


@register
class BookingCreated(Event):
    TYPE = "booking.created"
    id: uuid.UUID
    tenant_id: uuid.UUID
    offering_id: uuid.UUID
    offering_name: str
    quantity: int
    status: str
    total: MoneyPayload
    customer: CustomerPayload
    expires_at: datetime
