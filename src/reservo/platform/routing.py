"""The route table (routes.toml): which service owns which public path prefix."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class RouteOwner:
    service: str
    port: int
    prefix: str


@cache
def route_table() -> tuple[RouteOwner, ...]:
    data = tomllib.loads((files("reservo") / "routes.toml").read_text())
    owners = [
        RouteOwner(name, entry["port"], prefix)
        for name, entry in data["services"].items()
        for prefix in entry["prefixes"]
    ]
    # Longest prefix first, so `/api/v1/tenants/{tenant}/bookings` beats `/api/v1/tenants`.
    return tuple(sorted(owners, key=lambda o: len(o.prefix.split("/")), reverse=True))


def _matches(prefix: str, path: str) -> bool:
    want, have = prefix.strip("/").split("/"), path.strip("/").split("/")
    if len(have) < len(want):
        return False
    return all(w == h or (w.startswith("{") and w.endswith("}")) for w, h in zip(want, have, strict=False))


def owner_of(path: str) -> RouteOwner | None:
    return next((o for o in route_table() if _matches(o.prefix, path)), None)
