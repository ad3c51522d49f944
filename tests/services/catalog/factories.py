"""Payloads of the three kinds (the documented shapes) and small helpers the catalog tests share."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from sqlalchemy import select

from tests.support.api import Api
from tests.support.offerings import NEW_YEARS_EVE, OFFERING_EXAMPLES, event, product, service
from tests.support.problems import assert_problem

EVENT: dict[str, Any] = event(starts=[NEW_YEARS_EVE], timezone="Europe/Berlin")
SERVICE: dict[str, Any] = service(**OFFERING_EXAMPLES["service"])
PRODUCT: dict[str, Any] = product(100, name="Gift box")


def payload(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(base), **changes}


def offerings_url(slug: str = "acme", *path: str) -> str:
    return "/".join([f"/api/v1/tenants/{slug}/offerings", *path])


async def create(api: Api, body: dict[str, Any], slug: str = "acme") -> httpx.Response:
    return await api.client.post(offerings_url(slug), json=body, headers=api.owner(slug))


async def created(api: Api, body: dict[str, Any], slug: str = "acme") -> dict[str, Any]:
    response = await create(api, body, slug)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def outbox_envelopes(api: Api, type_: str | None = None) -> list[dict[str, Any]]:
    uow = api.runtime.uow("catalog")
    outbox = uow.tables.outbox
    async with uow.read() as session:
        rows = list((await session.scalars(select(outbox.c.envelope).order_by(outbox.c.position))).all())
    return [e for e in rows if type_ is None or e["type"] == type_]


def error_types(response: httpx.Response) -> set[str]:
    body = assert_problem(response, 422, "validation_failed")
    return {e["type"] for e in body["errors"]}
