"""Offerings for booking tests (payloads from tests/support/offerings.py), created through the catalog's HTTP API (POST .../offerings), so the
booking read-model is fed by the real `catalog.offering.created` events.

`replay_offering_state` publishes a catalog event directly through catalog's outbox: only to test
how booking treats a redelivered or out-of-order event, which the catalog API cannot produce.
"""

from __future__ import annotations

from typing import Any

from reservo.contracts.events.catalog import OfferingState, OfferingUpdated
from tests.support.api import Api
from tests.support.offerings import EVERY_DAY, NOW, event, product, resources, service, weekly

__all__ = ["EVERY_DAY", "NOW", "event", "product", "resources", "service", "weekly"]


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
