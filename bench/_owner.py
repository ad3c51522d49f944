"""Sign in as a tenant owner through the API, as a user would (register, create the tenant, refresh)."""

from __future__ import annotations

from typing import Any

import httpx


async def open_tenant(client: httpx.AsyncClient, tenant: dict[str, Any]) -> dict[str, str]:
    """Create `tenant` as a freshly registered owner; returns headers with a token carrying the role."""
    account = {
        "email": f"owner@{tenant['slug']}.example",
        "password": "correct horse battery",
        "name": "Owner",
    }
    registered = await client.post("/api/v1/auth/register", json=account)
    assert registered.status_code == 201, registered.text
    pair = registered.json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    created = await client.post("/api/v1/tenants", json=tenant, headers=headers)
    assert created.status_code == 201, created.text
    refreshed = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    return {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
