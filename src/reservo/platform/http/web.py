"""The web app (frontend/, built by Vite) served at `/` by the all-in-one process.

Files of the build are answered as they are; every other GET outside the API is a client route of
the single-page app and gets its index.html (so `/t/demo` or `/me/bookings` survive a reload).
`/api/...`, `/.well-known/...`, `/docs`, `/healthz` and the other routes registered before this one
are untouched: this route is added last and never matches `/api/...`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

import reservo

DEFAULT_DIST = Path(reservo.__file__).resolve().parents[2] / "frontend" / "dist"
_IMMUTABLE = "public, max-age=31536000, immutable"  # Vite puts a content hash in every asset name


class WebSettings(BaseSettings):
    """The web app's runtime config (prefix RESERVO_WEB_), answered at `/web-config.json`: where the
    browser loads the payment providers' and Google's scripts (tests point them at local fakes) and
    the Maps JavaScript API key (a browser key, restricted to the site's referrers at Google; not the
    location service's server key)."""

    model_config = SettingsConfigDict(env_prefix="RESERVO_WEB_", env_file=".env", extra="ignore")

    stripe_js_url: str = "https://js.stripe.com/v3/"
    paypal_sdk_url: str = "https://www.paypal.com/sdk/js"
    maps_js_url: str = "https://maps.googleapis.com/maps/api/js"
    maps_api_key: str | None = None
    maps_map_id: str = "DEMO_MAP_ID"  # a Map ID of the key's project (advanced markers need one)
    # The built app (Vite's dist folder): the checkout's frontend/dist by default; the image sets
    # RESERVO_WEB_DIST to the copy it ships (deploy/Dockerfile).
    dist: Path = DEFAULT_DIST

    def public(self) -> dict[str, str | None]:
        return {
            "stripe_js_url": self.stripe_js_url,
            "paypal_sdk_url": self.paypal_sdk_url,
            "maps_js_url": self.maps_js_url,
            "maps_api_key": self.maps_api_key or None,
            "maps_map_id": self.maps_map_id,
        }

    def page_csp(self) -> str:
        """The app page's policy: platform/http/browser.py's PAGE_CSP plus the origins these scripts
        need (script, their frames, their API calls; Stripe's 3-D Secure frames on hooks.stripe.com)."""
        origin = {name: _origin(url) for name, url in self.public().items() if name.endswith("_url") and url}
        stripe, paypal, maps = origin["stripe_js_url"], origin["paypal_sdk_url"], origin["maps_js_url"]
        extra_connect = {"https://api.stripe.com"} if stripe == "https://js.stripe.com" else set()
        extra_frame = {"https://hooks.stripe.com"} if stripe == "https://js.stripe.com" else set()
        if paypal == "https://www.paypal.com":
            extra_frame.add("https://www.sandbox.paypal.com")
        extra_script = set()
        if maps == "https://maps.googleapis.com":  # the Maps JavaScript API loads more from Google
            extra_script = {"https://*.googleapis.com", "https://*.gstatic.com"}
            extra_connect |= extra_script
        scripts = " ".join(sorted({stripe, paypal, maps, *extra_script}))
        connects = " ".join(sorted({stripe, paypal, maps, *extra_connect}))
        frames = " ".join(sorted({stripe, paypal, *extra_frame}))
        return (
            f"default-src 'self'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: https: {maps}; font-src 'self' https://fonts.gstatic.com; "
            f"connect-src 'self' {connects}; frame-src 'self' {frames}; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'"
        )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class _ClientPath(Convertor[str]):
    """Any path except the API's and the well-known documents'."""

    regex = r"(?!api(?:/|$)|\.well-known/).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("clientpath", _ClientPath())


def web_route(dist: Path | None = None, settings: WebSettings | None = None) -> Route:
    web = settings or WebSettings()
    root = (dist or web.dist).resolve()
    config, page_csp = web.public(), web.page_csp()

    async def serve(request: Request) -> Response:
        path: str = request.path_params["path"]
        if path == "web-config.json":
            return JSONResponse(config, headers={"Cache-Control": "no-cache"})
        index = root / "index.html"
        if not index.is_file():
            return PlainTextResponse("The web app is not built: run `make web` (or `make run`).", 404)
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            cache = _IMMUTABLE if path.startswith("assets/") else "no-cache"
            headers = {"Cache-Control": cache}
            if candidate.suffix == ".html":
                headers["Content-Security-Policy"] = page_csp
            return FileResponse(candidate, headers=headers)
        if path.startswith("assets/"):  # a stale hashed name: no HTML in place of a script
            return PlainTextResponse("Not found", 404)
        return FileResponse(index, headers={"Cache-Control": "no-cache", "Content-Security-Policy": page_csp})

    return Route("/{path:clientpath}", serve, methods=["GET", "HEAD"], include_in_schema=False)
