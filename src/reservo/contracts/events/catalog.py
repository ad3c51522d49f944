"""Events of the catalog service."""

from __future__ import annotations

import uuid

from pydantic import BaseModel

from reservo.platform.events.envelope import Event, register


class MoneyPayload(BaseModel):
    amount: int
    currency: str


@register
class OfferingCreated(Event):
    TYPE = "catalog.offering.created"
    id: uuid.UUID
    tenant_id: uuid.UUID
    kind: str
    name: str
    status: str
    price: MoneyPayload
    capacity: int
