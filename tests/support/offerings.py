"""Offering request bodies (POST /tenants/{slug}/offerings), one builder per kind.

Each builder gives the documented shape with defaults a test can override by keyword; the catalog,
booking, platform and distributed tests all build their offerings here."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # a Monday; tests on a ManualClock run it from here
NEW_YEARS_EVE = datetime.fromisoformat("2026-12-31T20:00:00+01:00")


def weekly(
    opens: time = time(9), closes: time = time(17), days: tuple[str, ...] = EVERY_DAY
) -> dict[str, Any]:
    return {"weekly": [{"weekday": d, "start": opens.isoformat(), "end": closes.isoformat()} for d in days]}


def price(amount: int, currency: str = "EUR") -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


def event(capacity: int = 50, starts: list[datetime] | None = None, **overrides: Any) -> dict[str, Any]:
    """An event with one three-hour session per start (default: a week after NOW)."""
    starts = starts or [NOW + timedelta(days=7)]
    return {
        "kind": "event",
        "name": "Jazz night",
        "price": price(2500),
        "sessions": [
            {"start": s.isoformat(), "end": (s + timedelta(hours=3)).isoformat(), "capacity": capacity}
            for s in starts
        ],
        **overrides,
    }


def service(**overrides: Any) -> dict[str, Any]:
    """An appointment service: one-hour slots, every day 09:00-17:00 Berlin time."""
    return {
        "kind": "service",
        "name": "Haircut",
        "price": price(3000),
        "timezone": "Europe/Berlin",
        "duration_minutes": 60,
        "schedule": weekly(),
        **overrides,
    }


def product(stock: int = 10, **overrides: Any) -> dict[str, Any]:
    return {"kind": "product", "name": "T-shirt", "price": price(1500), "stock": stock, **overrides}


def resources(*names: str, **schedules: dict[str, Any]) -> list[dict[str, Any]]:
    """Resources by name; a keyword gives that resource its own schedule."""
    return [{"name": n, **({"schedule": schedules[n]} if n in schedules else {})} for n in names]


# The documented example of each kind (README, api-specs), as Api.offering(kind=...) creates it.
OFFERING_EXAMPLES: dict[str, dict[str, Any]] = {
    "event": {
        "timezone": "Europe/Berlin",
        "sessions": event(capacity=20, starts=[NEW_YEARS_EVE])["sessions"],
    },
    "service": {
        "timezone": "Europe/Berlin",
        "duration_minutes": 30,
        "capacity_per_slot": 1,
        "schedule": {
            "weekly": [{"weekday": "mon", "start": "09:00", "end": "17:00"}],
            "exceptions": [{"date": "2026-12-28", "closed": True}],
        },
    },
    "product": {"stock": 100},
}
