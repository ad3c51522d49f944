"""Ask the service that owns a resource for it: how a replica that has not caught up fills a miss.

Read-your-writes (docs/decisions.md D9-1): once a write answered 2xx, a dependent call in another
service must not answer 404 because the event has not arrived yet. Such a service asks the owner
through this one interface, then fills its replica:

- all-in-one shape (the owner runs in this process): an in-process ASGI call into the app itself,
  through the same routes, dependencies and role checks a client would meet;
- distributed shape: HTTP to the owning service, at `RESERVO_<SERVICE>_URL` or else
  `RESERVO_SERVICE_URL_TEMPLATE` (default `http://{service}:{port}`, the port from routes.toml).

404 from the owner is an answer (`None`): the resource does not exist. Anything else that is not 2xx,
or an owner that cannot be reached, is a 503 `dependency_unavailable` (retry), never a wrong 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import httpx
import structlog

from reservo.platform.config import Settings
from reservo.platform.http.problems import DependencyUnavailable
from reservo.platform.routing import route_table

log = structlog.get_logger(__name__)


class Owners(Protocol):
    async def get_json(
        self, service: str, path: str, *, headers: Mapping[str, str] | None = None
    ) -> dict[str, Any] | None:
        """GET `path` (e.g. /api/v1/tenants/acme) from `service`; its JSON object, or None on 404."""


def service_port(service: str) -> int:
    return next(o.port for o in route_table() if o.service == service)


class OwnerClient:
    """Owners over HTTP: to the ASGI app of this process for local services, to the network otherwise."""

    def __init__(self, settings: Settings, local_services: frozenset[str], timeout: float = 5.0) -> None:
        self._settings = settings
        self._local = local_services
        self._timeout = timeout
        self._app: Any = None  # the ASGI app serving the local services (set by create_app)
        self._remote: httpx.AsyncClient | None = None

    def attach(self, app: Any) -> None:
        self._app = app

    def _client(self, service: str) -> tuple[httpx.AsyncClient, str, bool]:
        if service in self._local and self._app is not None:
            transport = httpx.ASGITransport(app=self._app, client=("127.0.0.1", 0))
            return httpx.AsyncClient(transport=transport, timeout=self._timeout), "http://owner.local", True
        if self._remote is None:
            self._remote = httpx.AsyncClient(timeout=self._timeout)
        return self._remote, self._settings.service_url_for(service, service_port(service)), False

    async def get_json(
        self, service: str, path: str, *, headers: Mapping[str, str] | None = None
    ) -> dict[str, Any] | None:
        client, base, own = self._client(service)
        try:
            response = await client.get(base.rstrip("/") + path, headers=dict(headers or {}))
        except httpx.HTTPError as exc:
            log.warning("owner.unreachable", service=service, path=path, error=repr(exc))
            raise DependencyUnavailable(f"The {service} service is unreachable") from exc
        finally:
            if own:
                await client.aclose()
        if response.status_code == 404:
            return None
        if not response.is_success:
            log.warning("owner.failed", service=service, path=path, status=response.status_code)
            raise DependencyUnavailable(f"The {service} service answered {response.status_code}")
        body: Any = response.json()
        if not isinstance(body, dict):
            raise DependencyUnavailable(f"The {service} service answered something unexpected")
        return body

    async def aclose(self) -> None:
        if self._remote is not None:
            await self._remote.aclose()
            self._remote = None
