"""Request and response bodies of the catalog service.

`OfferingFields` is the whole editable state of an offering. A create is validated by it directly;
a PATCH is merged into the stored state and the result is validated by it again, so both answer
with the same problems. Rule violations carry a stable `type` in `errors[]` (e.g. `session_order`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from reservo.platform.schemas import Day, Input, Instant, LocalTime, Money, Output, TimeZoneName

Kind = Literal["product", "service", "event"]
Status = Literal["draft", "published", "archived"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

MAX_SESSIONS = 500
MAX_RULES = 70
MAX_EXCEPTIONS = 400
MAX_VARIANTS = 50
MAX_RESOURCES = 50
MAX_IMAGES = 20
MAX_SESSION_DAYS = 31
# Slots start at least 5 minutes apart: availability work grows with slots x resources (issue 9 #3).
MIN_SLOT_MINUTES = 5

Name = Annotated[str, Field(min_length=1, max_length=200)]
ShortName = Annotated[str, Field(min_length=1, max_length=100)]
ImageUrl = Annotated[str, Field(max_length=2048, pattern=r"^https?://[^\s]+$")]
Minutes = Annotated[int, Field(ge=0, le=1440)]
HoldMinutes = Annotated[int, Field(ge=5, le=1440)]


def rule_error(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


class Interval(Input):
    """Local wall-clock hours, [start, end)."""

    start: LocalTime
    end: LocalTime

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise rule_error("local_time_expected", "hours are local wall time, without an offset")
        if self.end <= self.start:
            raise rule_error("interval_order", "end must be after start")
        return self


def _overlapping(intervals: list[Interval]) -> bool:
    ordered = sorted(intervals, key=lambda i: i.start)
    return any(b.start < a.end for a, b in pairwise(ordered))


class WeeklyRule(Interval):
    weekday: Weekday


class ScheduleException(Input):
    """A date that is closed, or open only in `intervals` instead of the weekly rules."""

    date: Day
    closed: bool = False
    intervals: Annotated[list[Interval], Field(max_length=10)] = []

    @model_validator(mode="after")
    def _consistent(self) -> ScheduleException:
        if self.closed and self.intervals:
            raise rule_error("exception_closed_with_hours", "a closed date cannot have opening hours")
        if not self.closed and not self.intervals:
            raise rule_error("exception_empty", "give `closed: true` or the special opening `intervals`")
        if _overlapping(self.intervals):
            raise rule_error("overlapping_intervals", "the intervals of one date overlap")
        return self


class Schedule(Input):
    """Opening hours in the offering's IANA time zone."""

    weekly: Annotated[list[WeeklyRule], Field(max_length=MAX_RULES)] = []
    exceptions: Annotated[list[ScheduleException], Field(max_length=MAX_EXCEPTIONS)] = []

    @model_validator(mode="after")
    def _consistent(self) -> Schedule:
        for day in WEEKDAYS:
            if _overlapping([r for r in self.weekly if r.weekday == day]):
                raise rule_error("overlapping_rules", f"weekly rules overlap on {day}")
        dates = [e.date for e in self.exceptions]
        if len(set(dates)) != len(dates):
            raise rule_error("duplicate_exception_date", "a date has more than one exception")
        return self


class VariantIn(Input):
    id: uuid.UUID | None = Field(default=None, description="keep an existing variant (PATCH); omit to add")
    name: ShortName
    price: Money


class ResourceIn(Input):
    id: uuid.UUID | None = Field(default=None, description="keep an existing resource (PATCH); omit to add")
    name: ShortName
    kind: Literal["staff", "room"] = "staff"
    schedule: Schedule | None = Field(default=None, description="narrows the offering's schedule")


class SessionIn(Input):
    id: uuid.UUID | None = Field(default=None, description="keep an existing session (PATCH); omit to add")
    start: Instant
    end: Instant
    capacity: Annotated[int, Field(ge=1, le=100_000)]

    @field_validator("start", "end")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @model_validator(mode="after")
    def _ordered(self) -> SessionIn:
        if self.end <= self.start:
            raise rule_error("session_order", "a session must end after it starts")
        if self.end - self.start > timedelta(days=MAX_SESSION_DAYS):
            raise rule_error("session_too_long", f"a session lasts at most {MAX_SESSION_DAYS} days")
        return self


# Fields that only one kind uses, with the value meaning "not set".
_KIND_FIELDS: dict[str, tuple[Kind, Any]] = {
    "stock": ("product", None),
    "duration_minutes": ("service", None),
    "slot_interval_minutes": ("service", None),
    "capacity_per_slot": ("service", 1),
    "buffer_before_minutes": ("service", 0),
    "buffer_after_minutes": ("service", 0),
    "schedule": ("service", None),
    "resources": ("service", []),
    "sessions": ("event", []),
}


class OfferingFields(Input):
    kind: Kind
    name: Name
    description: Annotated[str, Field(max_length=5000)] | None = None
    category: ShortName | None = None
    images: Annotated[list[ImageUrl], Field(max_length=MAX_IMAGES)] = []
    price: Money = Field(description="base price; variants may have their own")
    variants: Annotated[list[VariantIn], Field(max_length=MAX_VARIANTS)] = []
    status: Status = Field(default="published", description="new offerings are bookable unless `draft`")
    timezone: TimeZoneName | None = Field(default=None, description="IANA zone; default: the tenant's")
    tax_rate_bp: Annotated[int, Field(ge=0, le=10_000, description="basis points: 1900 = 19 %")] = 0
    location_id: uuid.UUID | None = None
    cancellation_free_hours: Annotated[int, Field(ge=0, le=8760)] | None = None
    min_quantity: Annotated[int, Field(ge=1, le=10_000)] = 1
    max_quantity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    lead_time_minutes: Annotated[int, Field(ge=0, le=525_600)] = 0
    booking_window_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    hold_minutes: HoldMinutes | None = Field(
        default=None, description="how long an unpaid booking holds its place; default: the platform's (15)"
    )
    # product
    stock: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    # service (appointment)
    duration_minutes: Annotated[int, Field(ge=MIN_SLOT_MINUTES, le=1440)] | None = None
    slot_interval_minutes: Annotated[int, Field(ge=MIN_SLOT_MINUTES, le=1440)] | None = None
    capacity_per_slot: Annotated[int, Field(ge=1, le=10_000)] = 1
    buffer_before_minutes: Minutes = 0
    buffer_after_minutes: Minutes = 0
    schedule: Schedule | None = None
    resources: Annotated[list[ResourceIn], Field(max_length=MAX_RESOURCES)] = []
    # event
    sessions: Annotated[list[SessionIn], Field(max_length=MAX_SESSIONS)] = []

    @model_validator(mode="after")
    def _rules(self) -> OfferingFields:
        for name, (kind, unset) in _KIND_FIELDS.items():
            if kind != self.kind and getattr(self, name) != unset:
                raise rule_error("field_not_for_kind", f"`{name}` is only for offerings of kind {kind}")
        if self.kind == "event" and not self.sessions:
            raise rule_error("sessions_required", "an event needs at least one session")
        if self.kind == "service" and self.duration_minutes is None:
            raise rule_error("duration_required", "a service needs `duration_minutes`")
        if self.kind == "service" and self.schedule is None:
            raise rule_error("schedule_required", "a service needs a `schedule`")
        if self.kind == "product" and self.stock is None:
            raise rule_error("stock_required", "a product needs `stock`")
        if any(v.price.currency != self.price.currency for v in self.variants):
            raise rule_error("variant_currency", "variants are priced in the offering's currency")
        if self.max_quantity is not None and self.max_quantity < self.min_quantity:
            raise rule_error("quantity_range", "`min_quantity` must not exceed `max_quantity`")
        for part in ("variants", "resources", "sessions"):
            ids = [item.id for item in getattr(self, part) if item.id is not None]
            if len(set(ids)) != len(ids):
                raise rule_error("duplicate_id", f"an id appears twice in `{part}`")
        return self


class OfferingCreate(OfferingFields):
    """A new offering of one kind; the fields of the other kinds must stay unset."""


class OfferingUpdate(Input):
    """Fields to change; lists replace the stored list (items with an `id` keep their identity)."""

    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None, description="the version read; or send `If-Match`"
    )
    name: Name | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    category: ShortName | None = None
    images: Annotated[list[ImageUrl], Field(max_length=MAX_IMAGES)] | None = None
    price: Money | None = None
    variants: Annotated[list[VariantIn], Field(max_length=MAX_VARIANTS)] | None = None
    status: Status | None = None
    timezone: TimeZoneName | None = None
    tax_rate_bp: Annotated[int, Field(ge=0, le=10_000)] | None = None
    location_id: uuid.UUID | None = None
    cancellation_free_hours: Annotated[int, Field(ge=0, le=8760)] | None = None
    min_quantity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    max_quantity: Annotated[int, Field(ge=1, le=10_000)] | None = None
    lead_time_minutes: Annotated[int, Field(ge=0, le=525_600)] | None = None
    booking_window_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    hold_minutes: HoldMinutes | None = None
    stock: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    duration_minutes: Annotated[int, Field(ge=MIN_SLOT_MINUTES, le=1440)] | None = None
    slot_interval_minutes: Annotated[int, Field(ge=MIN_SLOT_MINUTES, le=1440)] | None = None
    capacity_per_slot: Annotated[int, Field(ge=1, le=10_000)] | None = None
    buffer_before_minutes: Minutes | None = None
    buffer_after_minutes: Minutes | None = None
    schedule: Schedule | None = None
    resources: Annotated[list[ResourceIn], Field(max_length=MAX_RESOURCES)] | None = None
    sessions: Annotated[list[SessionIn], Field(max_length=MAX_SESSIONS)] | None = None

    def changes(self) -> dict[str, Any]:
        """The fields the client sent (an explicit null clears an optional field)."""
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if k != "version"}


class IntervalRead(Output):
    start: LocalTime
    end: LocalTime


class WeeklyRuleRead(IntervalRead):
    weekday: Weekday


class ScheduleExceptionRead(Output):
    date: date
    closed: bool
    intervals: list[IntervalRead]


class ScheduleRead(Output):
    weekly: list[WeeklyRuleRead]
    exceptions: list[ScheduleExceptionRead]


class VariantRead(Output):
    id: uuid.UUID
    name: str
    price: Money


class ResourceRead(Output):
    id: uuid.UUID
    name: str
    kind: Literal["staff", "room"]
    schedule: ScheduleRead | None


class SessionRead(Output):
    id: uuid.UUID
    start: datetime
    end: datetime
    capacity: int


class LocationRead(Output):
    """Where the offering happens, as the location service last said."""

    id: uuid.UUID
    name: str
    address: str
    latitude: float
    longitude: float
    place_id: str | None
    map_url: str = Field(description="a Google Maps link to the place")


class OfferingRead(Output):
    id: uuid.UUID
    version: int
    kind: Kind
    name: str
    description: str | None
    category: str | None
    images: list[str]
    price: Money
    variants: list[VariantRead]
    status: Status
    timezone: str
    tax_rate_bp: int
    location_id: uuid.UUID | None
    cancellation_free_hours: int | None
    min_quantity: int
    max_quantity: int | None
    lead_time_minutes: int
    booking_window_days: int | None
    hold_minutes: int | None
    stock: int | None
    duration_minutes: int | None
    slot_interval_minutes: int | None
    capacity_per_slot: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    schedule: ScheduleRead | None
    resources: list[ResourceRead]
    sessions: list[SessionRead]
    created_at: datetime
    updated_at: datetime
    location: LocationRead | None = Field(default=None, description="null: no location, or one deleted")
    distance_km: float | None = Field(
        default=None, description="from `near`, when the list was asked with it"
    )


class TenantSummary(Output):
    slug: str
    name: str


class DiscoveredOffering(OfferingRead):
    tenant: TenantSummary
