"""Demo data: one tenant with a few offerings. Idempotent: a second run changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from reservo.platform.auth.actor import Actor
from reservo.platform.config import Settings
from reservo.platform.http.pagination import PageParams
from reservo.platform.runtime import Runtime
from reservo.platform.tenancy import TenantNotFound, TenantRef
from reservo.services import REGISTRY
from reservo.services.catalog.schemas import OfferingCreate
from reservo.services.catalog.service import OfferingService
from reservo.services.user.schemas import TenantCreate
from reservo.services.user.service import TenantService

DEMO_OWNER = Actor(
    uuid.UUID("00000000-0000-4000-8000-000000000001"), "owner@demo.reservo.localhost", "Demo Owner"
)
DEMO_OFFERINGS = (
    OfferingCreate.model_validate(
        {
            "kind": "event",
            "name": "Jazz night",
            "description": "Live quartet, standing and seated tickets.",
            "category": "music",
            "price": {"amount": 2500, "currency": "EUR"},
            "timezone": "Europe/Berlin",
            "sessions": [
                {"start": "2026-12-31T20:00:00+01:00", "end": "2026-12-31T23:00:00+01:00", "capacity": 50}
            ],
        }
    ),
    OfferingCreate.model_validate(
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
                "weekly": [{"weekday": "mon", "start": "09:00", "end": "17:00"}],
                "exceptions": [{"date": "2026-12-28", "closed": True}],
            },
        }
    ),
    OfferingCreate.model_validate(
        {
            "kind": "product",
            "name": "Gift box",
            "description": "A voucher in a box, for any of our offerings.",
            "category": "gifts",
            "price": {"amount": 1500, "currency": "EUR"},
            "stock": 100,
        }
    ),
)


async def seed_demo(settings: Settings, echo: Callable[[str], None] = print) -> None:
    runtime = Runtime(settings, REGISTRY)
    async with runtime.running(workers=True):
        tenants = TenantService(runtime.contexts["user"])
        try:
            tenant = await tenants.get("demo")
            echo("seed: tenant 'demo' exists")
        except TenantNotFound:
            tenant = await tenants.create(
                DEMO_OWNER,
                TenantCreate(name="Demo Studio", slug="demo", timezone="Europe/Berlin", currency="EUR"),
            )
            echo("seed: created tenant 'demo'")
        await runtime.relays["user"].drain()  # the catalog's tenant replica is written before we go on
        ref = TenantRef(tenant.id, tenant.slug, tenant.name, tenant.timezone, tenant.currency)
        offerings = OfferingService(runtime.contexts["catalog"])
        existing, _ = await offerings.page(ref, PageParams(limit=1, cursor=None))
        if existing:
            echo("seed: demo offerings exist")
        else:
            for data in DEMO_OFFERINGS:
                await offerings.create(ref, data)
            echo(f"seed: created {len(DEMO_OFFERINGS)} offerings")
        for relay in runtime.relays.values():
            await relay.drain()
