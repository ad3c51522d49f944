"""Steps for TikTok forwarding tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reservo.platform.clock import ManualClock
from reservo.services.integration.service import deliver
from tests.conftest import Api
from tests.fakes.tiktok_fake import ACCESS_TOKEN, PIXEL_CODE

SETTINGS = "/api/v1/tenants/acme/integrations/tiktok"


async def configure(api: Api, **overrides: Any) -> dict[str, Any]:
    body = {"pixel_code": PIXEL_CODE, "access_token": ACCESS_TOKEN, **overrides}
    response = await api.client.put(SETTINGS, json=body, headers=api.owner("acme"))
    assert response.status_code == 200, response.text
    return dict(response.json())


async def deliveries(api: Api, **params: Any) -> dict[str, Any]:
    response = await api.client.get(f"{SETTINGS}/deliveries", params=params, headers=api.owner("acme"))
    assert response.status_code == 200, response.text
    return dict(response.json())


async def run_deliveries(api: Api) -> int:
    """One round of the delivery job (it also runs in the background when woken)."""
    return await deliver(api.runtime.contexts["integration"])


async def all_delivered(api: Api, clock: ManualClock, count: int) -> list[dict[str, Any]]:
    """Run rounds of the job, moving the manual clock a minute between them (past any backoff),
    until `count` deliveries are delivered; a bounded number of rounds, no real waiting."""
    for _ in range(30):
        await api.settle()
        await run_deliveries(api)
        items = (await deliveries(api))["items"]
        if len(items) >= count and all(i["status"] == "delivered" for i in items):
            return list(items)
        clock.advance(timedelta(seconds=60))
    raise AssertionError(f"not all delivered: {(await deliveries(api))['items']}")
