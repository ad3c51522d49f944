"""Issue 9 item 14: the cancellation reason is kept, outbox and inbox are pruned on a schedule, and the
outbox-lag and dead-letter gauges are set."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from prometheus_client import REGISTRY
from sqlalchemy import func, insert, select

from reservo.platform.clock import ManualClock
from reservo.platform.events.housekeeping import housekeep
from reservo.platform.events.relay import Relay
from tests.conftest import Api, eventually
from tests.services.booking.factories import NOW


async def test_the_cancellation_reason_reaches_staff_and_the_event(api: Api) -> None:
    await api.tenant("acme")
    offering = await api.offering(kind="product")
    booking = (await api.book(offering["id"])).json()
    guest = {"X-Booking-Token": booking["access_token"]}
    cancelled = await api.client.post(
        f"/api/v1/tenants/acme/bookings/{booking['id']}/cancel",
        json={"reason": "Sick, sorry"},
        headers=guest,
    )
    assert cancelled.status_code == 200, cancelled.text
    staff_view = await api.client.get(
        f"/api/v1/tenants/acme/bookings/{booking['id']}", headers=api.owner("acme")
    )
    assert staff_view.json()["cancellation_reason"] == "Sick, sorry"
    listed = await api.client.get("/api/v1/tenants/acme/bookings", headers=api.owner("acme"))
    assert listed.json()["items"][0]["cancellation_reason"] == "Sick, sorry"
    outbox = api.runtime.uow("booking").tables.outbox
    async with api.runtime.uow("booking").read() as session:
        envelope = (
            await session.execute(select(outbox.c.envelope).where(outbox.c.type == "booking.cancelled"))
        ).scalar_one()
    assert envelope["data"]["reason"] == "Sick, sorry"


async def _rows(api: Api, service: str, table: str) -> int:
    uow = api.runtime.uow(service)
    async with uow.read() as session:
        return int(await session.scalar(select(func.count()).select_from(getattr(uow.tables, table))) or 0)


async def test_outbox_and_inbox_are_pruned_after_the_retention(make_api: Callable[..., Any]) -> None:
    clock = ManualClock(NOW)
    api: Api = await make_api(
        ["user", "catalog"],
        clock=clock,
        settings_update={"event_retention_days": 14, "housekeeping_seconds": 0.05},
    )
    await api.tenant("acme")  # user's outbox -> catalog's inbox
    assert await _rows(api, "user", "outbox") >= 1 and await _rows(api, "catalog", "inbox") >= 1
    clock.advance(timedelta(days=13))
    for name in ("user", "catalog"):  # a round within the retention keeps everything
        await housekeep(api.runtime.contexts[name], api.runtime.relays[name])
    assert await _rows(api, "user", "outbox") >= 1 and await _rows(api, "catalog", "inbox") >= 1
    clock.advance(timedelta(days=2))  # the scheduled rounds prune once the rows are older

    async def pruned() -> bool:
        return await _rows(api, "user", "outbox") == 0 and await _rows(api, "catalog", "inbox") == 0

    await eventually(pruned, timeout=5)


def _gauge(name: str, service: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"service": service})


async def test_outbox_lag_and_dead_letter_gauges(make_api: Callable[..., Any]) -> None:
    api: Api = await make_api(["user", "booking"], workers=False)
    await api.client.post(
        "/api/v1/tenants",
        json={"name": "Acme", "slug": "acme", "timezone": "Europe/Berlin", "currency": "EUR"},
        headers=api.owner("acme"),
    )
    dead = api.runtime.uow("booking").tables.dead_letters
    async with api.runtime.uow("booking").transaction() as tx:
        await tx.session.execute(
            insert(dead).values(
                id=uuid.uuid4(),
                consumer="booking",
                event_id=uuid.uuid4(),
                type="user.tenant.created",
                envelope={},
                error="boom",
                attempts=5,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    for name in ("user", "booking"):
        ctx = api.runtime.contexts[name]
        await housekeep(ctx, Relay(ctx.uow, api.runtime.bus, ctx.clock))
    # Nobody relays: the created tenant and its owner's membership wait.
    assert _gauge("reservo_outbox_unsent", "user") == 2
    assert _gauge("reservo_dead_letters", "booking") == 1
    metrics = (await api.client.get("/metrics")).text
    assert 'reservo_dead_letters{service="booking"} 1.0' in metrics
