"""Every route that declares the platform admin role (generated over the full app, so routes added
later are covered): a tenant owner and a customer get 403, an anonymous caller 401, and nobody 2xx
or 5xx. The tenant isolation walk (tests/platform/test_isolation.py) covers `{tenant}` routes; this
covers the admin routes, which name no tenant."""

from __future__ import annotations

import uuid
from typing import Any

from reservo.platform.auth.deps import declared_access
from reservo.services import NAMES
from tests.conftest import Api
from tests.platform.test_isolation import _body, _calls
from tests.routes import api_routes


async def test_admin_routes_refuse_owners_customers_and_anonymous(make_api: Any) -> None:
    api: Api = await make_api(list(NAMES))
    tenant = await api.tenant("acme")
    app: Any = api.client._transport.app  # type: ignore[attr-defined]
    openapi = app.openapi()
    callers = {
        "tenant owner": (api.owner("acme"), 403),
        "customer": (api.dev_token("someone@example.com"), 403),
        "anonymous": ({}, 401),
    }
    routes = [r for r in api_routes(app) if declared_access(_calls(r.dependant)) == ["admin"]]
    assert len(routes) >= 12
    failures = []
    for route in routes:
        path = route.path.replace("{service}", "booking").replace("{tenant_id}", tenant["id"])
        for name in ("user_id", "dead_letter_id"):
            path = path.replace("{" + name + "}", str(uuid.uuid4()))
        for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
            for who, (headers, expected) in callers.items():
                response = await api.client.request(
                    method, path, json=_body(openapi, route.path, method), headers=headers
                )
                if response.status_code != expected:
                    failures.append(
                        f"{method} {route.path} as {who}: {response.status_code} {response.text[:120]}"
                    )
    assert failures == [], "\n".join(failures)
    # The tenant was not suspended by any of those calls.
    assert (await api.client.get("/api/v1/tenants/acme/offerings")).status_code == 200
