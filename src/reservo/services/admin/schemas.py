"""Bodies of the admin service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from reservo.platform.schemas import Output


class AdminBookingRead(Output):
    id: uuid.UUID
    tenant_id: uuid.UUID
    tenant: str | None = Field(description="the tenant's slug (None until its event arrives)")
    offering_id: uuid.UUID
    offering_name: str
    offering_kind: str
    status: str
    quantity: int
    total_amount: int = Field(description="minor units")
    currency: str
    starts_at: datetime | None
    booked_at: datetime


class CountByStatus(Output):
    status: str
    count: int


class Revenue(Output):
    currency: str
    gross: int = Field(description="succeeded payments, minor units")
    refunded: int
    net: int
    payments: int


class PlatformStats(Output):
    tenants: int
    suspended_tenants: int
    users: int = Field(description="accounts registered and not deleted")
    deleted_users: int
    bookings: int
    bookings_by_status: list[CountByStatus]
    revenue: list[Revenue]


class ServiceDeadLetters(Output):
    service: str
    available: bool = Field(description="False: the service did not answer (its list is missing)")
    error: str | None = None
    items: list[dict[str, Any]] = Field(default_factory=list)
    more: bool = Field(default=False, description="the service holds more than `limit` open ones")
