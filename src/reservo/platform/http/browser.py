"""What browsers and proxies need from every answer (issue 9 items 7 and 11).

- `ClientAddressMiddleware`: the client address is the TCP peer, unless that peer is one of
  RESERVO_TRUSTED_PROXIES; only then X-Forwarded-For (walked from the right, skipping trusted hops)
  or X-Real-IP name the client. Everything downstream (rate limits, sessions) reads `scope["client"]`.
- `SecurityHeadersMiddleware`: nosniff, a referrer policy, a CSP (strict for the API, the docs pages
  may run their own inline bootstrap and the locally served Swagger UI / ReDoc assets), and
  `Cache-Control: no-store` on every API answer that did not choose its own caching: answers carry
  tokens or personal data (bookings, staff lists, the signed-in user) and must not sit in a cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reservo.platform.http.middleware import header

Network = IPv4Network | IPv6Network


def _ip(value: str) -> str | None:
    try:
        return str(ip_address(value.strip().strip("[]")))
    except ValueError:
        return None


class ClientAddressMiddleware:
    def __init__(self, app: ASGIApp, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    def _is_trusted(self, address: str | None) -> bool:
        if address is None:
            return False
        ip = ip_address(address)
        return any(ip in net for net in self.trusted if net.version == ip.version)

    def client_of(self, scope: Scope) -> str | None:
        peer = scope.get("client")
        address = _ip(str(peer[0])) if peer else None
        if not self._is_trusted(address):
            return address
        hops = [_ip(h) for h in (header(scope, b"x-forwarded-for") or "").split(",") if h.strip()]
        # The rightmost hop a trusted proxy appended is the one nobody could forge.
        for hop in reversed(hops):
            if hop is None:
                break
            if not self._is_trusted(hop):
                return hop
        real = _ip(header(scope, b"x-real-ip") or "")
        return real or address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.trusted:
            client = self.client_of(scope)
            if client is not None:
                peer = scope.get("client")
                scope = {**scope, "client": (client, peer[1] if peer else 0)}
        await self.app(scope, receive, send)


API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI and ReDoc pages bootstrap with an inline script; their assets come from this server.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc", "/static-offline-docs")
# HTML pages (the web app, the test provider's 3-D Secure page, unsubscribe, the dev mailbox): scripts
# only from this server (Vite emits module files, no inline script), inline styles allowed (emails
# shown in the mailbox carry them), images also from https (tenants' logos).
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        docs = path.startswith(DOCS_PATHS)
        api = path.startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if b"content-security-policy" not in names:
                    html = any(
                        k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers
                    )
                    policy = DOCS_CSP if docs else PAGE_CSP if html else API_CSP
                    headers.append((b"content-security-policy", policy.encode()))
                if api and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
