"""The Api a test drives: an HTTP client on an in-process app, the runtime behind it, and helpers
that read like a user's steps (register, open a tenant, create an offering, book)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from reservo.platform.runtime import Runtime
from tests.support.offerings import OFFERING_EXAMPLES, event, price, product, service

BUILDERS: dict[str, Callable[..., dict[str, Any]]] = {"event": event, "service": service, "product": product}


@dataclass
class Api:
    """An HTTP client on an app, plus the runtime behind it and helpers that read like the user's steps."""

    client: httpx.AsyncClient
    runtime: Runtime
    tokens: dict[str, str] = field(default_factory=dict)

    def dev_token(self, email: str, *roles: str, **claims: Any) -> dict[str, str]:
        """Headers with a real access token for `email`, signed with the runtime's key, carrying the
        given roles ("owner@acme", "staff@acme", "admin"). No account is needed: like any token the
        user service mints, it is trusted for what it says until it expires."""
        return {"Authorization": f"Bearer {self.access_token(email, *roles, **claims)}"}

    def access_token(self, email: str, *roles: str, **claims: Any) -> str:
        tenants: dict[str, str] = {}
        for item in roles:
            if item != "admin":
                role, _, slug = item.partition("@")
                assert role in ("staff", "owner") and slug, f"not a tenant role: {item!r}"
                tenants[slug] = role
        return self.runtime.issuer().mint(
            user_id=uuid.uuid5(uuid.NAMESPACE_URL, f"test-user:{email.lower()}"),
            email=email.lower(),
            name=email.split("@")[0],
            tenants=tenants,
            admin="admin" in roles,
            **claims,
        )

    def owner(self, slug: str) -> dict[str, str]:
        return self.dev_token(f"owner@{slug}.example", f"owner@{slug}")

    async def register(
        self, email: str, password: str = "correct horse battery", name: str = "Ann Example"
    ) -> dict[str, Any]:
        """A real account through POST /auth/register: the TokenPair (access_token, refresh_token, user)."""
        body = {"email": email, "password": password, "name": name}
        response = await self.client.post("/api/v1/auth/register", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    @staticmethod
    def bearer(pair: dict[str, Any]) -> dict[str, str]:
        return {"Authorization": f"Bearer {pair['access_token']}"}

    async def settle(self) -> None:
        """Relay every outbox until no service has anything left to publish (events fully applied)."""
        for _ in range(10):
            moved = 0
            for relay in self.runtime.relays.values():
                moved += await relay.drain()
            if not moved:
                return

    async def tenant(self, slug: str = "acme", **overrides: Any) -> dict[str, Any]:
        body = {
            "name": slug.title(),
            "slug": slug,
            "timezone": "Europe/Berlin",
            "currency": "EUR",
            **overrides,
        }
        response = await self.client.post("/api/v1/tenants", json=body, headers=self.owner(slug))
        assert response.status_code == 201, response.text
        await self.settle()
        return dict(response.json())

    async def offering(self, slug: str = "acme", **overrides: Any) -> dict[str, Any]:
        """Create an offering (default: an event with one session of 20 seats) and settle its events.

        `kind="service"` or `kind="product"` starts from that kind's example instead; `capacity=N`
        sets the event session's seats, the product's stock or the service's capacity per slot."""
        kind = overrides.get("kind", "event")
        body: dict[str, Any] = {
            **BUILDERS[kind](),
            **OFFERING_EXAMPLES[kind],
            "name": {"event": "Jazz night", "service": "Haircut", "product": "Gift box"}[kind],
            "price": price(2500),
        }
        if "capacity" in overrides:
            capacity = overrides.pop("capacity")
            if kind == "event":
                body["sessions"] = [{**body["sessions"][0], "capacity": capacity}]
            else:
                body["stock" if kind == "product" else "capacity_per_slot"] = capacity
        body.update(overrides)
        response = await self.client.post(
            f"/api/v1/tenants/{slug}/offerings", json=body, headers=self.owner(slug)
        )
        assert response.status_code == 201, response.text
        await self.settle()
        return dict(response.json())

    async def book(
        self,
        offering_id: str,
        slug: str = "acme",
        quantity: int = 1,
        *,
        start: str | None = None,
        variant_id: str | None = None,
        customer: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        **more_headers: str,
    ) -> httpx.Response:
        """POST a booking with these request `headers` (keyword arguments beyond the named ones are
        headers too)."""
        body: dict[str, Any] = {
            "offering_id": offering_id,
            "quantity": quantity,
            "customer": customer or {"name": "Ann", "email": "ann@example.com"},
            **(extra or {}),
        }
        if start is not None:
            body["start"] = start
        if variant_id is not None:
            body["variant_id"] = variant_id
        sent = {**(headers or {}), **more_headers}
        return await self.client.post(f"/api/v1/tenants/{slug}/bookings", json=body, headers=sent)
