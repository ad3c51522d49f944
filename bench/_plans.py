"""What the benchmarks book: an event of 64 two-hour sessions of 100,000 seats each, from the day after
tomorrow, so a run measures booking rather than a sell-out. Standard library only: Locust's own
virtualenv imports it too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def gala_start() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)


def gala(first: datetime) -> dict[str, Any]:
    """The event offering's payload, its sessions every three hours from `first`."""
    sessions = [
        {
            "start": (first + timedelta(hours=3 * i)).isoformat(),
            "end": (first + timedelta(hours=3 * i + 2)).isoformat(),
            "capacity": 100_000,
        }
        for i in range(64)
    ]
    return {
        "kind": "event",
        "name": "Gala",
        "price": {"amount": 2500, "currency": "EUR"},
        "sessions": sessions,
    }
