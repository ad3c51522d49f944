"""Tenant isolation, generated over every tenant-scoped route of every service of the full app.

Tenant A has private data (a booking with a customer's details, staff, an invitation). For each
route with `{tenant}` in its path, each method, we call it on tenant A as: the owner of another
tenant, a signed-in customer, and an anonymous caller, with real ids of A's objects in the path
(or random ones) and a schema-valid body. Routes that declare a tenant or admin role must refuse
(403/404; 401 for anonymous); public and signed-in-only routes may answer, but never with A's
private data. Nobody gets a 500. Routes added later are covered without touching this file.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from reservo.platform.auth.deps import declared_access
from reservo.services import NAMES
from tests.conftest import Api
from tests.routes import api_routes
from tests.support.offerings import price, product

SECRET_NAME = "Vera Private-Customer"
SECRET_EMAIL = "vera.private@customer-of-alpha.example"
INVITEE = "new.hire@alpha-staff.example"
OWNER = "owner@alpha.example"


def _calls(dependant: Any) -> list[Any]:
    out = [dependant.call] if dependant.call else []
    for sub in dependant.dependencies:
        out += _calls(sub)
    return out


_CANDIDATES = ["probe", "EUR", "Europe/Berlin", "#000000", "probe-slug", "https://example.com/x.png", "a1"]


def _sample(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A minimal value that validates against a JSON schema (good enough for our request bodies)."""
    if "$ref" in schema:
        return _sample(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _sample(options[0], components)
    if schema.get("examples"):
        return schema["examples"][0]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: _sample(props[k], components) for k in schema.get("required", [])}
    if kind == "array":
        return [_sample(schema["items"], components)] * schema.get("minItems", 0)
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "email":
        return "probe@example.com"
    if fmt == "uuid":
        return str(uuid.uuid4())
    if fmt == "date-time":
        return "2030-01-01T10:00:00Z"
    if fmt == "date":
        return "2030-01-01"
    pattern = schema.get("pattern")
    if pattern:
        return next((c for c in _CANDIDATES if re.search(pattern, c)), "probe")
    return "probe" + "x" * max(0, schema.get("minLength", 0) - 5)


def _body(openapi: dict[str, Any], path: str, method: str) -> Any:
    operation = openapi["paths"].get(path, {}).get(method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _sample(content["application/json"]["schema"], openapi.get("components", {}).get("schemas", {}))


class TestTenantIsolation:
    async def test_no_route_lets_outsiders_into_another_tenant(self, make_api) -> None:
        api: Api = await make_api(list(NAMES))
        ids = await self._tenant_a_with_private_data(api)
        await api.tenant("beta")
        callers = {
            "other tenant's owner": api.dev_token("boss@beta.example", "owner@beta", "staff@gamma"),
            "customer": api.dev_token("someone@example.com"),
            "anonymous": {},
        }
        openapi = api.client._transport.app.openapi()  # type: ignore[attr-defined]
        # Offerings and the tenant are public; a problem's `instance` echoes the path the caller sent.
        private_ids = [ids["bookings"], ids["invitations"]]
        markers = [SECRET_NAME, SECRET_EMAIL, INVITEE, OWNER, *private_ids]

        checked, failures = 0, []
        routes = [r for r in api_routes(api.client._transport.app) if "{tenant}" in r.path]  # type: ignore[attr-defined]
        assert len(routes) >= 5
        for route in routes:
            (access,) = declared_access(_calls(route.dependant))
            path = self._fill(route.path, ids)
            for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
                body = _body(openapi, route.path, method)
                for who, headers in callers.items():
                    response = await api.client.request(method, path, json=body, headers=headers)
                    checked += 1
                    status, text = response.status_code, response.text
                    where = f"{method} {route.path} as {who} ({access}) -> {status}"
                    if status >= 500:
                        failures.append(f"{where}: server error {text[:200]}")
                    elif access != "public" and (who == "anonymous" or access != "customer"):
                        # Signed-in-only routes (e.g. accepting an invitation) may answer any signed-in
                        # user; like public ones they must still not leak (checked below).
                        allowed = {401, 403, 404} if who == "anonymous" else {403, 404}
                        if status not in allowed:
                            failures.append(f"{where}: expected one of {sorted(allowed)}: {text[:200]}")
                    leaked = [m for m in markers if m in text and m not in path]
                    if leaked:
                        failures.append(f"{where}: leaked {leaked}")
        failures += await self._id_addressed_routes(api, ids, callers, markers, openapi)
        assert failures == [], "\n".join(failures)
        assert checked >= 3 * len(routes)

    async def _id_addressed_routes(
        self,
        api: Api,
        ids: dict[str, str],
        callers: dict[str, dict[str, str]],
        markers: list[str],
        openapi: Any,
    ) -> list[str]:
        """Routes without a tenant in the path reach A's objects by id (payments, a booking by id,
        paying A's booking): to outsiders they answer no 2xx, never a 500, and never leak."""
        failures = []
        routes = [
            r
            for r in api_routes(api.client._transport.app)  # type: ignore[attr-defined]
            if "{tenant}" not in r.path
            and ("{payment_id}" in r.path or "{booking_id}" in r.path or r.path == "/api/v1/payments")
        ]
        assert len(routes) >= 6
        for route in routes:
            path = route.path.replace("{payment_id}", ids["payments"]).replace(
                "{booking_id}", ids["bookings"]
            )
            for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
                body = _body(openapi, route.path, method)
                if route.path == "/api/v1/payments":
                    body = {"booking_id": ids["bookings"]}
                for who, headers in callers.items():
                    response = await api.client.request(method, path, json=body, headers=headers)
                    where = f"{method} {route.path} as {who} -> {response.status_code}"
                    if response.status_code >= 500 or response.status_code < 300:
                        failures.append(f"{where}: {response.text[:200]}")
                    sent = path + str(body)  # a problem may echo what the caller sent
                    leaked = [m for m in markers if m in response.text and m not in sent]
                    if leaked:
                        failures.append(f"{where}: leaked {leaked}")
        return failures

    async def _tenant_a_with_private_data(self, api: Api) -> dict[str, str]:
        owner = api.dev_token(OWNER, "owner@alpha")
        created = await api.client.post(
            "/api/v1/tenants",
            json={"name": "Alpha", "slug": "alpha", "timezone": "Europe/Berlin", "currency": "EUR"},
            headers=owner,
        )
        assert created.status_code == 201, created.text
        await api.settle()
        offering = await api.client.post(
            "/api/v1/tenants/alpha/offerings",
            json=product(5, name="Alpha gala voucher", price=price(900)),
            headers=owner,
        )
        assert offering.status_code == 201, offering.text
        await api.settle()
        booking = await api.client.post(
            "/api/v1/tenants/alpha/bookings",
            json={
                "offering_id": offering.json()["id"],
                "quantity": 1,
                "customer": {"name": SECRET_NAME, "email": SECRET_EMAIL},
            },
        )
        assert booking.status_code == 201, booking.text
        guest = {"X-Booking-Token": booking.json()["access_token"]}
        payment = await api.client.post(
            "/api/v1/payments", json={"booking_id": booking.json()["id"]}, headers=guest
        )
        assert payment.status_code == 201, payment.text
        paid = await api.client.post(
            f"/api/v1/payments/{payment.json()['id']}/confirm",
            json={"card_number": "4242424242424242"},
            headers=guest,
        )
        assert paid.json()["status"] == "succeeded", paid.text
        invitation = await api.client.post(
            "/api/v1/tenants/alpha/invitations", json={"email": INVITEE}, headers=owner
        )
        assert invitation.status_code == 201, invitation.text
        await api.settle()
        # The markers are real: A's owner does see them.
        seen = await api.client.get(f"/api/v1/tenants/alpha/bookings/{booking.json()['id']}", headers=owner)
        assert SECRET_EMAIL in seen.text
        return {
            "offerings": offering.json()["id"],
            "bookings": booking.json()["id"],
            "invitations": invitation.json()["id"],
            "tenants": created.json()["id"],
            "payments": payment.json()["id"],
            "members": str(uuid.uuid5(uuid.NAMESPACE_URL, f"test-user:{OWNER}")),  # as api.dev_token mints
        }

    @staticmethod
    def _fill(template: str, ids: dict[str, str]) -> str:
        parts = template.strip("/").split("/")
        out = []
        for i, part in enumerate(parts):
            if part == "{tenant}":
                out.append("alpha")
            elif part.startswith("{"):
                out.append(ids.get(parts[i - 1], str(uuid.uuid4())))
            else:
                out.append(part)
        return "/" + "/".join(out)
