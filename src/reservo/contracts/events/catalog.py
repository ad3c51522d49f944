"""Events of the catalog service.

Every offering event carries the offering's whole bookable state (kind, prices, schedule, resources,
sessions, rules), so booking's read-model is a replace-by-newer upsert keyed by `id` and ordered by
`version`: no event depends on having seen an earlier one. `OfferingState` extends the platform's
location-replica contract (platform/locations.py: which location an offering uses).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from reservo.contracts.money import MoneyPayload
from reservo.platform.events.envelope import Event, register
from reservo.platform.locations import OFFERING_CREATED, OFFERING_UPDATED, OfferingPlaced
from reservo.platform.schemas import LocalTime

OfferingKind = Literal["product", "service", "event"]
OfferingStatus = Literal["draft", "published", "archived"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

__all__ = ["MoneyPayload"]  # defined in contracts/money.py; importable from here as before


class VariantPayload(BaseModel):
    id: uuid.UUID
    name: str
    price: MoneyPayload


class WeeklyRulePayload(BaseModel):
    """Open from `start` to `end` (local wall time in the offering's time zone) every `weekday`."""

    weekday: Weekday
    start: LocalTime
    end: LocalTime


class ExceptionPayload(BaseModel):
    """A date that is closed, or open only in the given local intervals instead of the weekly rules."""

    date: date
    closed: bool = False
    intervals: list[tuple[LocalTime, LocalTime]] = Field(default_factory=list)


class SchedulePayload(BaseModel):
    weekly: list[WeeklyRulePayload] = Field(default_factory=list)
    exceptions: list[ExceptionPayload] = Field(default_factory=list)


class ResourcePayload(BaseModel):
    """Staff or room; an appointment takes one free resource. Its own schedule, if any, narrows
    the offering's schedule."""

    id: uuid.UUID
    name: str
    schedule: SchedulePayload | None = None


class SessionPayload(BaseModel):
    id: uuid.UUID
    start: datetime  # aware, UTC
    end: datetime
    capacity: int


# id, tenant_id, version (read-models ignore anything not newer) and location_id are the platform's
# (`OfferingPlaced`); the rest is the catalog's.
class OfferingState(OfferingPlaced):
    kind: OfferingKind
    name: str
    status: OfferingStatus
    deleted: bool = False
    price: MoneyPayload
    variants: list[VariantPayload] = Field(default_factory=list)
    timezone: str = "UTC"
    tax_rate_bp: int = 0  # basis points: 1900 = 19 %
    min_quantity: int = 1
    max_quantity: int | None = None
    cancellation_free_hours: int | None = None  # free cancellation until N hours before the start
    # product
    stock: int | None = None
    # service (appointment)
    duration_minutes: int | None = None
    slot_interval_minutes: int | None = None  # defaults to duration + buffers
    capacity_per_slot: int = 1
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    lead_time_minutes: int = 0
    booking_window_days: int | None = None
    hold_minutes: int | None = None  # how long an unpaid booking holds capacity; None: booking's default
    schedule: SchedulePayload | None = None
    resources: list[ResourcePayload] = Field(default_factory=list)
    # event
    sessions: list[SessionPayload] = Field(default_factory=list)
    updated_at: datetime


@register
class OfferingCreated(Event):
    TYPE = OFFERING_CREATED
    offering: OfferingState

    @property
    def key(self) -> str:
        return str(self.offering.id)


@register
class OfferingUpdated(Event):
    """Any change, including publish, archive and soft delete (`deleted: true`)."""

    TYPE = OFFERING_UPDATED
    offering: OfferingState

    @property
    def key(self) -> str:
        return str(self.offering.id)
