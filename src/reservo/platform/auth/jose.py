"""Thin, strict JWS helpers over joserfc shared by our access tokens and providers' ID tokens."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from joserfc import jws, jwt
from joserfc.errors import JoseError, UnsupportedAlgorithmError
from joserfc.jwa import JWSAlgModel
from joserfc.jwk import Key
from joserfc.jws import JWSRegistry

MAX_TOKEN_BYTES = 8192


class JoseFailure(Exception):
    """Why a token was refused (`reason` is safe to show the caller)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Registry(JWSRegistry):
    """Only the algorithms the caller allows; no advisory warnings (the choice is ours, documented)."""

    def get_alg(self, name: str) -> JWSAlgModel:
        if name not in self.algorithms or not self.allowed or name not in self.allowed:
            raise UnsupportedAlgorithmError(f"Algorithm of '{name}' is not allowed")
        return self.algorithms[name]


def _b64json(segment: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = json.loads(raw)
    except (ValueError, TypeError) as exc:
        raise JoseFailure("malformed token") from exc
    if not isinstance(value, dict):
        raise JoseFailure("malformed token")
    return value


def unverified_header(token: str) -> dict[str, Any]:
    if len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
        raise JoseFailure("malformed token")
    return _b64json(token.split(".", 1)[0])


async def verify_jws(
    token: str, algorithms: Collection[str], key_for: Callable[[str], Awaitable[Key | None]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check alg (against an allow list, so never `none`), kid and signature; return header and claims."""
    header = unverified_header(token)
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in algorithms:
        raise JoseFailure(f"algorithm {alg!r} is not accepted")
    if "crit" in header:
        raise JoseFailure("critical header extensions are not supported")
    if not isinstance(kid, str) or not kid:
        raise JoseFailure("the token names no key (kid)")
    key = await key_for(kid)
    if key is None:
        raise JoseFailure("the token is signed by an unknown key")
    try:
        obj = jws.deserialize_compact(
            token, key, algorithms=list(algorithms), registry=_Registry(algorithms=list(algorithms))
        )
    except (JoseError, TypeError, ValueError, KeyError, AttributeError) as exc:
        # joserfc raises plain TypeErrors on some malformed headers (e.g. "crit": null): still a 401.
        raise JoseFailure("bad signature or header") from exc
    try:
        claims = json.loads(obj.payload or b"")
    except ValueError as exc:
        raise JoseFailure("malformed claims") from exc
    if not isinstance(claims, dict):
        raise JoseFailure("malformed claims")
    return header, claims


def sign_jws(header: dict[str, Any], claims: dict[str, Any], key: Key, algorithm: str) -> str:
    return jwt.encode(
        {**header, "alg": algorithm},
        claims,
        key,
        algorithms=[algorithm],
        registry=_Registry(algorithms=[algorithm]),
    )
