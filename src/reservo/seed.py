"""Demo data: a demo owner account and one tenant with a few offerings. Idempotent."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

from reservo.platform.auth.actor import Actor
from reservo.platform.config import Settings
from reservo.platform.http.pagination import PageParams
from reservo.platform.http.problems import Unauthorized
from reservo.platform.runtime import Runtime
from reservo.platform.schemas import Money
from reservo.platform.tenancy import TenantNotFound, TenantRef
from reservo.services import REGISTRY, pick
from reservo.services.catalog.schemas import OfferingCreate
from reservo.services.catalog.service import OfferingService
from reservo.services.user.schemas import TenantCreate
from reservo.services.user.service import TenantService
from reservo.services.user.service.accounts import ensure_account

DEMO_OWNER_EMAIL = "owner@demo.example"
DEMO_OFFERINGS = (
    OfferingCreate(kind="event", name="Jazz night", price=Money(amount=2500, currency="EUR"), capacity=50),
    OfferingCreate(kind="service", name="Haircut", price=Money(amount=3000, currency="EUR"), capacity=8),
    OfferingCreate(kind="product", name="Gift box", price=Money(amount=1500, currency="EUR"), capacity=100),
)


class _NoTokens:
    """Commands that sign nobody in need no keys (a production key directory may not exist yet)."""

    async def verify(self, token: str) -> Actor:
        raise Unauthorized()


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
        existing, _ = await offerings.page(ref, PageParams(limit=1, cursor=None))
        if existing:
            echo("seed: demo offerings exist")
        else:
            for data in DEMO_OFFERINGS:
                await offerings.create(ref, data)
            echo(f"seed: created {len(DEMO_OFFERINGS)} offerings")
        for relay in runtime.relays.values():
            await relay.drain()
