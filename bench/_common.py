"""What the benchmarks share: the PostgreSQL server, percentiles, and signing in as a tenant owner.

Scripts run as `python bench/<name>.py`, so this folder is on sys.path and `import _common` works.
"""

from __future__ import annotations

import os
from typing import Any

import asyncpg
import httpx

PG_URL = os.environ.get("RESERVO_TEST_POSTGRES_URL", "postgresql://reservo@127.0.0.1:55432/postgres")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def pg_execute(*statements: str) -> None:
    """Run statements on the server's maintenance database (CREATE/DROP DATABASE)."""
    conn = await asyncpg.connect(PG_URL)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


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
