"""Offerings for booking tests, created through the catalog's HTTP API (POST .../offerings), so the
booking read-model is fed by the real `catalog.offering.created` events.

`replay_offering_state` publishes a catalog event directly through catalog's outbox: only to test
how booking treats a redelivered or out-of-order event, which the catalog API cannot produce.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from reservo.contracts.events.catalog import OfferingState, OfferingUpdated
from tests.conftest import Api

EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # a Monday; tests run the ManualClock from here


def weekly(
    opens: time = time(9), closes: time = time(17), days: tuple[str, ...] = EVERY_DAY
) -> dict[str, Any]:
    return {"weekly": [{"weekday": d, "start": opens.isoformat(), "end": closes.isoformat()} for d in days]}


def service(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "service",
        "name": "Haircut",
        "price": {"amount": 3000, "currency": "EUR"},
        "timezone": "Europe/Berlin",
        "duration_minutes": 60,
        "schedule": weekly(),
        **overrides,
    }


def event(capacity: int = 50, starts: list[datetime] | None = None, **overrides: Any) -> dict[str, Any]:
    starts = starts or [NOW + timedelta(days=7)]
    return {
        "kind": "event",
        "name": "Jazz night",
        "price": {"amount": 2500, "currency": "EUR"},
        "sessions": [
            {"start": s.isoformat(), "end": (s + timedelta(hours=3)).isoformat(), "capacity": capacity}
            for s in starts
        ],
        **overrides,
    }


def product(stock: int = 10, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "product",
        "name": "T-shirt",
        "price": {"amount": 1500, "currency": "EUR"},
        "stock": stock,
        **overrides,
    }


def resources(*names: str, **schedules: dict[str, Any]) -> list[dict[str, Any]]:
    """Resources by name; a keyword gives that resource its own schedule."""
    return [{"name": n, **({"schedule": schedules[n]} if n in schedules else {})} for n in names]


async def create_offering(api: Api, fields: dict[str, Any], slug: str = "acme") -> dict[str, Any]:
    """Create through the catalog API and let its events reach booking; returns the catalog's view."""
    response = await api.client.post(
        f"/api/v1/tenants/{slug}/offerings", json=fields, headers=api.owner(slug)
    )
    assert response.status_code == 201, response.text
    await api.settle()
    return dict(response.json())


async def update_offering(
    api: Api, offering: dict[str, Any], slug: str = "acme", **changes: Any
) -> dict[str, Any]:
    response = await api.client.patch(
        f"/api/v1/tenants/{slug}/offerings/{offering['id']}",
        json={"version": offering["version"], **changes},
        headers=api.owner(slug),
    )
    assert response.status_code == 200, response.text
    await api.settle()
    return dict(response.json())


async def replay_offering_state(api: Api, offering: dict[str, Any], tenant_id: str, **changes: Any) -> None:
    """Publish `catalog.offering.updated` carrying `offering` (a catalog read) as its state, changed."""
    data = {
        **offering,
        "tenant_id": tenant_id,
        "schedule": _contract_schedule(offering.get("schedule")),
        "resources": [{"id": r["id"], "name": r["name"]} for r in offering["resources"]],
        **changes,
    }
    state = OfferingState.model_validate(data)
    async with api.runtime.uow("catalog").transaction() as tx:
        tx.publish(OfferingUpdated(offering=state), tenant_id=state.tenant_id)
    await api.settle()


def _contract_schedule(schedule: dict[str, Any] | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    exceptions = [
        {**e, "intervals": [(i["start"], i["end"]) for i in e["intervals"]]} for e in schedule["exceptions"]
    ]
    return {"weekly": schedule["weekly"], "exceptions": exceptions}
