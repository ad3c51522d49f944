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
    session_id: uuid.UUID | None = None  # the sign-in session (refresh token family) behind the token
    issued_at: int | None = None  # the token's `iat` (epoch seconds), for role revocations

    def role_in(self, tenant_slug: str) -> Role | None:
        return self.tenant_roles.get(tenant_slug)


class TokenVerifier(Protocol):
    async def verify(self, token: str) -> Actor:
        """The actor of a valid access token, else Unauthorized (401 invalid_token / token_expired).

        Verification is local: keys come from the key directory or a cached JWKS, never a
        per-request call to another service (platform/auth/tokens.py, jwks.py)."""
