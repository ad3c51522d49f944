"""Access tokens: short-lived EdDSA JWTs minted by the user service, verified locally by every service.

Claims: sub, email, name, iat, exp, iss, aud, sid (session), tenants {slug: role}, admin.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from joserfc.jwk import Key

from reservo.platform.auth.actor import Actor, Role
from reservo.platform.auth.jose import JoseFailure, sign_jws, verify_jws
from reservo.platform.auth.keys import ALGORITHM, KeyStore
from reservo.platform.clock import Clock
from reservo.platform.http.problems import Unauthorized

_CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}


class InvalidToken(Unauthorized):
    code, title = "invalid_token", "The access token is invalid"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers=_CHALLENGE)


class TokenExpired(Unauthorized):
    code, title = "token_expired", "The access token has expired; refresh it"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers=_CHALLENGE)


class KeySource(Protocol):
    async def key(self, kid: str) -> Key | None: ...


@dataclass(frozen=True, slots=True)
class TokenRules:
    issuer: str
    audience: str
    leeway_seconds: int = 30


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class JwtVerifier:
    """TokenVerifier for our access tokens; keys come from the key directory or the user service's JWKS."""

    def __init__(self, keys: KeySource, rules: TokenRules, clock: Clock) -> None:
        self.keys = keys
        self._rules = rules
        self._clock = clock

    async def verify(self, token: str) -> Actor:
        try:
            _, claims = await verify_jws(token, (ALGORITHM,), self.keys.key)
        except JoseFailure as exc:
            raise InvalidToken(f"Invalid access token: {exc.reason}") from exc
        now = _epoch(self._clock.now())
        leeway = self._rules.leeway_seconds
        exp = claims.get("exp")
        if not isinstance(exp, int) or not isinstance(claims.get("iat"), int):
            raise InvalidToken("Invalid access token: no exp/iat")
        if exp + leeway <= now:
            raise TokenExpired()
        if claims["iat"] - leeway > now:
            raise InvalidToken("Invalid access token: issued in the future")
        if claims.get("iss") != self._rules.issuer:
            raise InvalidToken("Invalid access token: wrong issuer")
        aud = claims.get("aud")
        if aud != self._rules.audience and not (isinstance(aud, list) and self._rules.audience in aud):
            raise InvalidToken("Invalid access token: wrong audience")
        try:
            return _actor(claims)
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidToken("Invalid access token: malformed claims") from exc


def _actor(claims: Mapping[str, Any]) -> Actor:
    tenants = claims.get("tenants") or {}
    if not isinstance(tenants, dict):
        raise ValueError("tenants")
    roles = {str(slug): Role(role) for slug, role in tenants.items()}
    if any(r not in (Role.staff, Role.owner) for r in roles.values()):
        raise ValueError("tenant role")
    sid = claims.get("sid")
    return Actor(
        user_id=uuid.UUID(str(claims["sub"])),
        email=str(claims["email"]),
        name=str(claims.get("name") or ""),
        is_admin=claims.get("admin") is True,
        tenant_roles=roles,
        session_id=uuid.UUID(sid) if isinstance(sid, str) else None,
        issued_at=claims["iat"] if isinstance(claims.get("iat"), int) else None,
    )


class TokenIssuer:
    """Mints access tokens with the newest key of the key directory (only the user service does)."""

    def __init__(self, keys: KeyStore, rules: TokenRules, ttl: timedelta, clock: Clock) -> None:
        self._keys = keys
        self._rules = rules
        self.ttl = ttl
        self._clock = clock

    def mint(
        self,
        *,
        user_id: uuid.UUID,
        email: str,
        name: str = "",
        tenants: Mapping[str, str] | None = None,
        admin: bool = False,
        session_id: uuid.UUID | None = None,
        ttl: timedelta | None = None,
        issued_at: datetime | None = None,
        audience: str | None = None,
    ) -> str:
        key = self._keys.signing_key()
        iat = issued_at or self._clock.now()
        claims: dict[str, Any] = {
            "iss": self._rules.issuer,
            "aud": audience or self._rules.audience,
            "sub": str(user_id),
            "email": email,
            "name": name,
            "iat": _epoch(iat),
            "exp": _epoch(iat + (ttl or self.ttl)),
            "tenants": dict(tenants or {}),
            "admin": admin,
        }
        if session_id is not None:
            claims["sid"] = str(session_id)
        return sign_jws({"kid": key.kid, "typ": "JWT"}, claims, key.key, ALGORITHM)
