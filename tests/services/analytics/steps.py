"""Storefront and staff steps for analytics tests, as HTTP calls."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

CONSENTED = {"analytics": True, "marketing": False}
MARKETING = {"analytics": True, "marketing": True}


async def collect(
    api: Api, kind: str, slug: str = "acme", headers: dict[str, str] | None = None, **body: Any
) -> Any:
    payload = {"kind": kind, "consent": CONSENTED, **body}
    return await api.client.post(
        f"/api/v1/tenants/{slug}/analytics/collect", json=payload, headers=headers or {}
    )


async def report(api: Api, name: str, slug: str = "acme", **params: str) -> dict[str, Any]:
    response = await api.client.get(
        f"/api/v1/tenants/{slug}/analytics/{name}", params=params, headers=api.owner(slug)
    )
    assert response.status_code == 200, response.text
    return dict(response.json())
