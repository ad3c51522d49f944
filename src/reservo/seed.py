"""Demo data: a demo owner account and one tenant with a few offerings. Idempotent."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reservo.platform.auth.actor import Actor
from reservo.platform.config import Settings
from reservo.platform.http.pagination import PageParams
from reservo.platform.http.problems import Unauthorized
from reservo.platform.runtime import Runtime
from reservo.platform.tenancy import TenantNotFound, TenantRef
from reservo.services import REGISTRY, pick
from reservo.services.catalog.repository import OfferingFilter
from reservo.services.catalog.schemas import OfferingCreate
from reservo.services.catalog.service import OfferingService
from reservo.services.location.schemas import LocationCreate
from reservo.services.location.service import LocationService
from reservo.services.user.schemas import TenantCreate
from reservo.services.user.service import TenantService
from reservo.services.user.service.accounts import ensure_account

DEMO_OWNER_EMAIL = "owner@demo.example"


def demo_offerings(today: date) -> tuple[OfferingCreate, ...]:
    """One offering of each kind, dated from `today` so that a fresh demo always has bookable times."""
    fridays = [today + timedelta(days=(4 - today.weekday()) % 7 + 7 * week) for week in range(4)]
    christmas_eve = date(today.year if today < date(today.year, 12, 24) else today.year + 1, 12, 24)
    berlin = ZoneInfo("Europe/Berlin")
    sessions = [
        {
            "start": datetime.combine(day, time(20), berlin).isoformat(),
            "end": datetime.combine(day, time(23), berlin).isoformat(),
            "capacity": 50,
        }
        for day in fridays
    ]
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    bodies: list[dict[str, Any]] = [
        {
            "kind": "event",
            "name": "Jazz night",
            "description": "Live quartet playing standards, every Friday.",
            "category": "music",
            "price": {"amount": 2500, "currency": "EUR"},
            "timezone": "Europe/Berlin",
            "sessions": sessions,
        },
        {
            "kind": "service",
            "name": "Haircut",
            "description": "Wash, cut and style.",
            "category": "beauty",
            "price": {"amount": 3000, "currency": "EUR"},
            "timezone": "Europe/Berlin",
            "duration_minutes": 30,
            "capacity_per_slot": 1,
            "schedule": {
                "weekly": [{"weekday": d, "start": "09:00", "end": "17:00"} for d in weekdays],
                "exceptions": [{"date": christmas_eve.isoformat(), "closed": True}],
            },
        },
        {
            "kind": "product",
            "name": "Gift box",
            "description": "A voucher in a box, for any of our offerings.",
            "category": "gifts",
            "price": {"amount": 1500, "currency": "EUR"},
            "stock": 100,
        },
    ]
    return tuple(OfferingCreate.model_validate(body) for body in bodies)


class _NoTokens:
    """Commands that sign nobody in need no keys (a production key directory may not exist yet)."""

    async def verify(self, token: str) -> Actor:
        raise Unauthorized()


async def _demo_location(runtime: Runtime, ref: TenantRef) -> uuid.UUID:
    """The demo studio's address, entered by hand (no maps key needed); catalog hears of it first."""
    locations = LocationService(runtime.contexts["location"])
    found, _ = await locations.page(ref, PageParams(limit=1, cursor=None))
    if found:
        return found[0].id
    body = LocationCreate(
        name="Demo Studio", address="Alexanderplatz 1, 10178 Berlin", latitude=52.5219, longitude=13.4132
    )
    place = await locations.create(ref, body)
    await runtime.relays["location"].drain()
    return place.id


def cli_runtime(settings: Settings, services: Sequence[str] = ()) -> Runtime:
    return Runtime(settings, pick(services) if services else REGISTRY, verifier=_NoTokens())


async def seed_demo(settings: Settings, echo: Callable[[str], None] = print) -> None:
    runtime = cli_runtime(settings)
    async with runtime.running(workers=True):
        password = secrets.token_urlsafe(12)
        owner, created = await ensure_account(
            runtime.contexts["user"], DEMO_OWNER_EMAIL, password, "Demo Owner"
        )
        if created:
            echo(f"seed: created demo owner {DEMO_OWNER_EMAIL} with password {password}")
        else:
            echo(f"seed: demo owner {DEMO_OWNER_EMAIL} exists (password unchanged; reset it if lost)")
        tenants = TenantService(runtime.contexts["user"])
        try:
            tenant = await tenants.get("demo")
            echo("seed: tenant 'demo' exists")
        except TenantNotFound:
            tenant = await tenants.create(
                Actor(owner.id, owner.email, owner.name),
                TenantCreate(name="Demo Studio", slug="demo", timezone="Europe/Berlin", currency="EUR"),
            )
            echo("seed: created tenant 'demo'")
        await runtime.relays["user"].drain()  # the catalog's tenant replica is written before we go on
        ref = TenantRef(tenant.id, tenant.slug, tenant.name, tenant.timezone, tenant.currency)
        offerings = OfferingService(runtime.contexts["catalog"])
        everything = OfferingFilter(statuses=("draft", "published", "archived"))
        existing, _ = await offerings.page(ref, PageParams(limit=200, cursor=None), everything)
        names = {o.name for o in existing}
        missing = [o for o in demo_offerings(runtime.clock.now().date()) if o.name not in names]
        place = await _demo_location(runtime, ref) if missing else None
        for data in missing:
            await offerings.create(ref, data.model_copy(update={"location_id": place}))
        echo(f"seed: created {len(missing)} offering(s)" if missing else "seed: demo offerings exist")
        for relay in runtime.relays.values():
            await relay.drain()
