"""Issue 9 items 7 and 11: the client address behind proxies, and what browsers need from answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import Api


async def _login(api: Api, forwarded: str | None) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded, "X-Real-IP": forwarded} if forwarded else {}
    body = {"email": "nobody@example.test", "password": "wrong password here"}
    return await api.client.post("/api/v1/auth/login", json=body, headers=headers)


LOGIN_LIMITS = {"user": {"auth_ip_limit": 3, "auth_account_limit": 100}}


class TestTrustedProxies:
    async def test_forwarded_headers_from_an_untrusted_peer_are_ignored(
        self, make_api: Callable[..., Any]
    ) -> None:
        """The default trusts nobody, loopback included: rotating X-Forwarded-For escapes no limit."""
        api: Api = await make_api(["user"], service_settings=LOGIN_LIMITS)
        answers = [(await _login(api, f"203.0.113.{n}")).status_code for n in range(5)]
        assert answers == [401, 401, 401, 429, 429]

    async def test_a_trusted_proxy_names_the_client(self, make_api: Callable[..., Any]) -> None:
        api: Api = await make_api(
            ["user"],
            service_settings=LOGIN_LIMITS,
            settings_update={
                "trusted_proxies": "127.0.0.0/8",  # the ASGI test client's peer is 127.0.0.1
            },
        )
        # Each client has its own bucket ...
        assert [(await _login(api, f"203.0.113.{n}")).status_code for n in range(5)] == [401] * 5
        # ... and one client stays limited whatever it writes in front of what the proxy appended.
        spoofed = [(await _login(api, f"198.51.100.{n}, 203.0.113.77")).status_code for n in range(5)]
        assert spoofed == [401, 401, 401, 429, 429]

    async def test_general_api_limit_uses_the_same_address(self, make_api: Callable[..., Any]) -> None:
        api: Api = await make_api(["catalog"], settings_update={"rate_limit": "2/60"})
        answers = [
            (
                await api.client.get("/api/v1/tenants/x/offerings", headers={"X-Real-IP": f"192.0.2.{n}"})
            ).status_code
            for n in range(3)
        ]
        assert answers[-1] == 429


class TestBrowserHeaders:
    async def test_security_headers_and_no_store_on_personal_data(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering(kind="product")
        created = await api.book(offering["id"])
        assert created.status_code == 201
        me = await api.register("ann@example.test")
        answers = [
            created,
            await api.client.get("/api/v1/users/me", headers=api.bearer(me)),
            await api.client.get("/api/v1/tenants/acme/members", headers=api.owner("acme")),
            await api.client.get("/api/v1/tenants/acme/bookings", headers=api.owner("acme")),
            await api.client.get(
                f"/api/v1/tenants/acme/bookings/{created.json()['id']}", headers=api.owner("acme")
            ),
        ]
        for response in answers:
            assert response.headers["cache-control"] == "no-store", response.request.url
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
            assert "default-src 'none'" in response.headers["content-security-policy"]

    async def test_idempotent_booking_replay_survives_no_store(self, api: Api) -> None:
        """no-store is added outside the idempotency layer: a retried booking is replayed, not re-booked."""
        await api.tenant("acme")
        offering = await api.offering(kind="product", capacity=5)
        first = await api.book(offering["id"], headers={"Idempotency-Key": "retry-1"})
        again = await api.book(offering["id"], headers={"Idempotency-Key": "retry-1"})
        assert again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert again.headers.get("idempotent-replayed") == "true"
        assert again.headers["cache-control"] == "no-store"

    async def test_docs_work_without_a_cdn(self, api: Api) -> None:
        for page, asset in [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")]:
            html = await api.client.get(page)
            assert html.status_code == 200
            assert "cdn." not in html.text and f"/static-offline-docs/{asset}" in html.text
            csp = html.headers["content-security-policy"]
            assert "script-src 'self'" in csp and "cdn" not in csp
            script = await api.client.get(f"/static-offline-docs/{asset}")
            assert script.status_code == 200 and len(script.content) > 100_000

    async def test_405_names_the_allowed_methods(self, api: Api) -> None:
        response = await api.client.put("/api/v1/tenants/acme/offerings")
        assert response.status_code == 405
        assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
        assert response.json()["code"] == "method_not_allowed"


class TestCors:
    async def test_allowed_origin_gets_cors_headers(self, make_api: Callable[..., Any]) -> None:
        api: Api = await make_api(["catalog"], settings_update={"cors_origins": "https://app.example"})
        preflight = await api.client.options(
            "/api/v1/tenants/acme/offerings",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        answer = await api.client.get(
            "/api/v1/tenants/acme/offerings", headers={"Origin": "https://app.example"}
        )
        assert answer.headers["access-control-allow-origin"] == "https://app.example"
        assert "x-correlation-id" in answer.headers["access-control-expose-headers"].lower()

    async def test_other_origins_and_the_default_get_none(self, make_api: Callable[..., Any]) -> None:
        configured: Api = await make_api(["catalog"], settings_update={"cors_origins": "https://app.example"})
        default: Api = await make_api(["catalog"])
        for api in (configured, default):
            answer = await api.client.get(
                "/api/v1/tenants/acme/offerings", headers={"Origin": "https://evil.example"}
            )
            assert "access-control-allow-origin" not in answer.headers


def test_serve_leaves_forwarded_headers_to_the_app(monkeypatch: Any) -> None:
    """uvicorn's own proxy-header handling trusts loopback; `reservo serve` turns it off."""
    import uvicorn

    from reservo import cli

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    cli.serve(services=["catalog"], host="127.0.0.1", port=1)
    assert seen["proxy_headers"] is False
