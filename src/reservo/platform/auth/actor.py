"""The authenticated caller and the verifier interface that produces it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    customer = "customer"
    staff = "staff"
    owner = "owner"
    admin = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: uuid.UUID
    email: str
    name: str = ""
    is_admin: bool = False
    tenant_roles: Mapping[str, Role] = field(default_factory=dict)  # tenant slug -> staff | owner

    def role_in(self, tenant_slug: str) -> Role | None:
        return self.tenant_roles.get(tenant_slug)


class TokenVerifier(Protocol):
    def verify(self, token: str) -> Actor:
        """The actor of a valid access token, else Unauthorized. Never calls another service."""


class DevTokenVerifier:
    """DEVELOPMENT STUB, replaced by the identity issue's JWT verifier.

    Accepts `Bearer dev:<email>[:<role>@<tenant-slug>,...][:admin]`, e.g. `dev:ann@example.com:owner@demo`.
    Refused when RESERVO_ENVIRONMENT=production.
    """

    def verify(self, token: str) -> Actor:
        from reservo.platform.http.problems import Unauthorized

        parts = token.split(":")
        if len(parts) < 2 or parts[0] != "dev" or "@" not in parts[1]:
            raise Unauthorized("Invalid access token")
        email = parts[1].lower()
        roles: dict[str, Role] = {}
        is_admin = False
        for part in parts[2:]:
            for item in filter(None, part.split(",")):
                if item == "admin":
                    is_admin = True
                    continue
                role, _, slug = item.partition("@")
                if role not in (Role.staff, Role.owner) or not slug:
                    raise Unauthorized("Invalid access token")
                roles[slug] = Role(role)
        return Actor(
            uuid.uuid5(uuid.NAMESPACE_URL, f"dev:{email}"), email, email.split("@")[0], is_admin, roles
        )
