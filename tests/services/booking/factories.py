"""Offerings for booking tests, in the shape of catalog's OfferingState.

`create_offering` publishes `catalog.offering.created` through the catalog service's own unit of
work and outbox, exactly what the catalog does, until the catalog HTTP API of issue 4 is merged;
then it switches to POST /api/v1/tenants/{tenant}/offerings (one place to change).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

from reservo.contracts.events.catalog import OfferingCreated, OfferingState, OfferingUpdated
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
            {
                "id": str(uuid.uuid4()),
                "start": s.isoformat(),
                "end": (s + timedelta(hours=3)).isoformat(),
                "capacity": capacity,
            }
            for s in starts
        ],
        **overrides,
    }


def product(stock: int | None = 10, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": "product",
        "name": "T-shirt",
        "price": {"amount": 1500, "currency": "EUR"},
        "stock": stock,
        **overrides,
    }


class _Created(OfferingCreated):
    """Keyed by the offering id (the catalog branch adds this `key` to the contract itself)."""

    @property
    def key(self) -> str:
        return str(self.offering.id)


async def tenant_id(api: Api, slug: str) -> uuid.UUID:
    response = await api.client.get(f"/api/v1/tenants/{slug}")
    assert response.status_code == 200, response.text
    return uuid.UUID(response.json()["id"])


async def create_offering(api: Api, fields: dict[str, Any], slug: str = "acme") -> dict[str, Any]:
    """An offering as catalog announces it; returns its state (as JSON) with `id`."""
    tid = await tenant_id(api, slug)
    state = OfferingState.model_validate(
        {
            "id": uuid.uuid4(),
            "tenant_id": tid,
            "version": 1,
            "status": "published",
            "updated_at": api.runtime.clock.now(),
            **fields,
        }
    )
    async with api.runtime.uow("catalog").transaction() as tx:
        tx.publish(_Created(offering=state), tenant_id=tid)
    await api.settle()
    return state.model_dump(mode="json")


class _Updated(OfferingUpdated):
    @property
    def key(self) -> str:
        return str(self.offering.id)


async def update_offering(api: Api, state: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Publish `catalog.offering.updated` with the next version (or the one given in `changes`)."""
    new = OfferingState.model_validate({**state, "version": state["version"] + 1, **changes})
    async with api.runtime.uow("catalog").transaction() as tx:
        tx.publish(_Updated(offering=new), tenant_id=new.tenant_id)
    await api.settle()
    return new.model_dump(mode="json")
