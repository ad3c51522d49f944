"""Request and response bodies of the analytics API."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, Field

from reservo.contracts.events.analytics import BrowserEventKind
from reservo.platform.schemas import Money


class Consent(BaseModel):
    """What the visitor agreed to in the consent banner. `analytics`: counted at all; `marketing`:
    the TikTok click id, IP address and user agent may be kept and forwarded to TikTok."""

    analytics: bool = False
    marketing: bool = False


class CollectIn(BaseModel):
    kind: BrowserEventKind
    event_id: str | None = Field(
        default=None,
        min_length=8,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.:-]+$",
        description="the browser pixel's event_id, for deduplication; generated when absent",
    )
    offering_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = Field(default=None, description="initiate_checkout after the hold")
    url: str | None = Field(default=None, max_length=2000)
    referrer: str | None = Field(default=None, max_length=2000)
    ttclid: str | None = Field(default=None, max_length=200, pattern=r"^[A-Za-z0-9_.\-]+$")
    consent: Consent = Field(default_factory=Consent)


class CollectOut(BaseModel):
    event_id: str
    counted: bool  # false: no analytics consent, or this event_id was already counted


class AnalyticsSettingsIn(BaseModel):
    retention_days: int = Field(ge=1, le=3650, description="raw events older than this are purged")
    keep_client_details: bool = Field(
        default=False, description="keep a consenting visitor's IP address and user agent"
    )


class AnalyticsSettingsOut(AnalyticsSettingsIn):
    pass


class Range(BaseModel):
    start: date
    end: date  # inclusive
    timezone: str


class Funnel(BaseModel):
    page_views: int
    views: int  # view_content
    checkouts: int  # initiate_checkout
    bookings: int
    paid: int
    checkout_rate: float | None  # checkouts / views
    paid_rate: float | None  # paid / checkouts


class FunnelOut(BaseModel):
    range: Range
    funnel: Funnel


class CurrencyRevenue(BaseModel):
    currency: str
    gross: Money
    refunded: Money
    net: Money
    payments: int


class DayRevenue(BaseModel):
    day: date
    currency: str
    gross: int
    refunded: int


class RevenueOut(BaseModel):
    range: Range
    totals: list[CurrencyRevenue]
    days: list[DayRevenue]


class TopOffering(BaseModel):
    offering_id: uuid.UUID
    name: str | None
    bookings: int
    units: int
    paid: int
    cancelled: int


class TopOfferingsOut(BaseModel):
    range: Range
    items: list[TopOffering]


class OfferingOccupancy(BaseModel):
    offering_id: uuid.UUID
    name: str | None = None
    booked: int  # confirmed units on that day, cancellations taken off
    capacity: int | None = None  # what the offering offered that day; None when booking did not say
    occupancy: float | None = None  # booked / capacity (0.25 = 25 %)


class OccupancyDay(BaseModel):
    day: date
    units_booked: int  # confirmed units whose session or slot starts that day
    units_cancelled: int
    units_net: int
    offerings: list[OfferingOccupancy] = Field(default_factory=list)


class OccupancyOut(BaseModel):
    range: Range
    days: list[OccupancyDay]
