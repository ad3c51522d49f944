"""Payloads of the three kinds (the documented shapes) and small helpers the catalog tests share."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from sqlalchemy import select

from tests.conftest import Api

EVENT: dict[str, Any] = {
    "kind": "event",
    "name": "Jazz night",
    "price": {"amount": 2500, "currency": "EUR"},
    "timezone": "Europe/Berlin",
    "sessions": [{"start": "2026-12-31T20:00:00+01:00", "end": "2026-12-31T23:00:00+01:00", "capacity": 50}],
}
SERVICE: dict[str, Any] = {
    "kind": "service",
    "name": "Haircut",
    "price": {"amount": 3000, "currency": "EUR"},
    "timezone": "Europe/Berlin",
    "duration_minutes": 30,
    "capacity_per_slot": 1,
    "schedule": {
        "weekly": [{"weekday": "mon", "start": "09:00", "end": "17:00"}],
        "exceptions": [{"date": "2026-12-28", "closed": True}],
    },
}
PRODUCT: dict[str, Any] = {
    "kind": "product",
    "name": "Gift box",
    "price": {"amount": 1500, "currency": "EUR"},
    "stock": 100,
}


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


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = dict(response.json())
    assert body["code"] == code, body
    return body


def error_types(response: httpx.Response) -> set[str]:
    body = problem(response, 422, "validation_failed")
    return {e["type"] for e in body["errors"]}
