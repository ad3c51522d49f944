"""The web app's files at `/`, client routes answered with index.html, the API left alone."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from reservo.app import create_app
from reservo.platform.config import Settings
from reservo.platform.http.web import WebSettings, web_route
from reservo.services import pick


def _app(dist: Path) -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/things")
    async def things() -> dict[str, str]:
        return {"ok": "yes"}

    app.router.routes.append(web_route(dist))
    return app


async def test_files_client_routes_and_the_api(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<div id=root></div>")
    (dist / "assets" / "index-abc.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("no")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=_app(dist)), base_url="http://t"
    ) as client:
        for path in ("/", "/t/demo", "/t/demo/bookings/123", "/dashboard/demo/offerings"):
            page = await client.get(path)
            assert (page.status_code, page.text, page.headers["cache-control"]) == (
                200,
                "<div id=root></div>",
                "no-cache",
            )
        asset = await client.get("/assets/index-abc.js")
        assert asset.text == "console.log(1)"
        assert "immutable" in asset.headers["cache-control"]
        assert (await client.get("/assets/index-old.js")).status_code == 404  # no HTML in place of a script
        assert (await client.get("/api/v1/nothing")).status_code == 404
        assert (await client.get("/api/v1/things")).status_code == 405  # the API's own answer, not the app
        assert (await client.get("/.well-known/jwks.json")).status_code == 404
        assert "no" not in (await client.get("/../secret.txt")).text.replace("no-cache", "")


async def test_an_unbuilt_app_says_so(tmp_path: Path) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=_app(tmp_path)), base_url="http://t"
    ) as client:
        response = await client.get("/")
        assert response.status_code == 404
        assert "make web" in response.text


def test_only_the_all_in_one_process_serves_the_app(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)

    def serves(app: FastAPI) -> bool:
        return any(getattr(r, "path", "") == "/{path:clientpath}" for r in app.router.routes)

    assert serves(create_app(pick([]), settings))
    assert not serves(create_app(pick(["booking"]), settings))


async def test_runtime_config_and_the_page_policy_follow_the_web_settings(tmp_path: Path) -> None:
    """D13-9: the provider and Maps script URLs are settings (tests point them at local fakes); the app
    reads them from /web-config.json and the page's CSP lets exactly those origins load and frame."""
    (tmp_path / "index.html").write_text("<div id=root></div>")
    app = FastAPI()
    fake = WebSettings(stripe_js_url="http://127.0.0.1:4001/v3/", maps_api_key="browser-key")
    app.router.routes.append(web_route(tmp_path, fake))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        config = (await client.get("/web-config.json")).json()
        assert config == {
            "stripe_js_url": "http://127.0.0.1:4001/v3/",
            "paypal_sdk_url": "https://www.paypal.com/sdk/js",
            "maps_js_url": "https://maps.googleapis.com/maps/api/js",
            "maps_api_key": "browser-key",
            "maps_map_id": "DEMO_MAP_ID",
        }
        policy = dict(
            d.strip().split(" ", 1)
            for d in (await client.get("/t/demo")).headers["content-security-policy"].split(";")
        )
        assert "http://127.0.0.1:4001" in policy["script-src"].split()
        assert "https://js.stripe.com" not in policy["script-src"]
        assert {"https://www.paypal.com", "https://maps.googleapis.com"} <= set(policy["script-src"].split())
        assert {"http://127.0.0.1:4001", "https://www.paypal.com"} <= set(policy["frame-src"].split())
        assert policy["frame-ancestors"] == "'none'"
    real = dict(d.strip().split(" ", 1) for d in WebSettings().page_csp().split(";"))
    assert {"https://js.stripe.com", "https://hooks.stripe.com"} <= set(real["frame-src"].split())
    assert "https://api.stripe.com" in real["connect-src"].split()
    assert WebSettings().public()["maps_api_key"] is None  # no key: the dashboard keeps the address form


async def test_the_gateway_companion_serves_the_built_app_where_the_gateway_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kubernetes' Ingress and Traefik send every path no service owns to `reservo gateway-meta`: it
    answers the app from RESERVO_WEB_DIST (the image's copy) and keeps unknown API paths problems."""
    from reservo.platform.gatewaymeta import create_meta_app

    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    monkeypatch.setenv("RESERVO_WEB_DIST", str(tmp_path))
    app = create_meta_app({})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        page = await client.get("/t/demo/bookings/123")
        assert (page.status_code, page.text) == (200, "<div id=root></div>")
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert (await client.get("/assets/index-abc.js")).text == "console.log(1)"
        assert (await client.get("/web-config.json")).json()["stripe_js_url"] == "https://js.stripe.com/v3/"
        unknown = await client.get("/api/v1/nothing-here")
        assert (unknown.status_code, unknown.headers["content-type"]) == (404, "application/problem+json")
        assert unknown.json()["code"] == "route_not_found"
    monkeypatch.setenv("RESERVO_WEB_DIST", str(tmp_path / "not-built"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_meta_app({})), base_url="http://t"
    ) as client:
        assert (await client.get("/web-config.json")).status_code == 200
        assert (await client.get("/t/demo")).json()["code"] == "route_not_found"
