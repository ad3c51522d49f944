"""The tenant replica is the platform's contract (platform/tenancy.py): any service built on
TENANT_HANDLERS keeps its replica from the wire payload alone, ignoring fields it does not keep."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from reservo.platform.events.envelope import RawEnvelope
from reservo.platform.tenancy import TENANT_CREATED, TENANT_UPDATED
from tests.conftest import Api


def _wire(type_: str, tenant_id: uuid.UUID, slug: str, at: datetime, **extra: Any) -> RawEnvelope:
    data = {"id": str(tenant_id), "slug": slug, "name": slug.title(), "timezone": "Europe/Berlin"}
    return RawEnvelope(
        type=type_,
        occurred_at=at,
        tenant_id=tenant_id,
        key=str(tenant_id),
        data={**data, "currency": "EUR", **extra},
    )


async def test_the_replica_follows_the_wire_events_and_ignores_fields_it_does_not_keep(
    make_api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    api: Api = await make_api(["catalog"])

    async def owner_unreachable(*_: Any, **__: Any) -> dict[str, Any] | None:
        return None  # the answer must come from the replica, never from asking the user service

    monkeypatch.setattr(api.runtime.owners, "get_json", owner_unreachable)
    consumer = api.runtime.consumers["catalog"]
    tenant_id, now = uuid.uuid4(), datetime.now(UTC)
    branding = {"primary_color": "#123456"}
    await consumer.deliver(_wire(TENANT_CREATED, tenant_id, "acme", now, branding=branding, tax_id="DE1"))
    assert (await api.client.get("/api/v1/tenants/acme/offerings")).status_code == 200

    await consumer.deliver(_wire(TENANT_UPDATED, tenant_id, "acme-two", now + timedelta(seconds=1)))
    assert (await api.client.get("/api/v1/tenants/acme-two/offerings")).status_code == 200
    gone = await api.client.get("/api/v1/tenants/acme/offerings")
    assert (gone.status_code, gone.json()["code"]) == (404, "tenant_not_found")

    # An older update arriving late does not move the replica back.
    await consumer.deliver(_wire(TENANT_UPDATED, tenant_id, "acme", now + timedelta(milliseconds=500)))
    assert (await api.client.get("/api/v1/tenants/acme-two/offerings")).status_code == 200

    # `suspended` is part of the replica: a platform admin's suspension closes the storefront.
    later = now + timedelta(seconds=2)
    await consumer.deliver(_wire(TENANT_UPDATED, tenant_id, "acme-two", later, suspended=True))
    closed = await api.client.get("/api/v1/tenants/acme-two/offerings")
    assert (closed.status_code, closed.json()["code"]) == (403, "tenant_suspended")
