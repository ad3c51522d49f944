"""Role dependencies. Every endpoint declares exactly one of them; a test walks the routes to check.

Tenant roles come from the token, so no service asks the user service per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reservo.platform.auth.actor import Actor, Role, TokenVerifier
from reservo.platform.auth.revocation import Revocations
from reservo.platform.http.problems import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/v1/auth/login")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def _verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.runtime.verifier
    return verifier


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SessionRevoked(Unauthorized):
    code, title = "session_revoked", "This sign-in was ended (logout, password change); sign in again"


def _revocations(request: Request) -> Revocations | None:
    revocations: Revocations | None = getattr(request.app.state.runtime, "revocations", None)
    return revocations


async def _authenticate(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Actor | None:
    if credentials is None:
        return None
    if credentials.scheme.lower() != "bearer":
        raise Unauthorized("Use a Bearer token")
    actor = await _verifier(request).verify(credentials.credentials)
    # A state-changing request with the token of an ended sign-in is refused at once (revocation.py);
    # reads are left to the token's short expiry, so they cost no extra lookup.
    if request.method not in SAFE_METHODS and (revocations := _revocations(request)) is not None:
        if await revocations.session_revoked(actor.session_id):
            raise SessionRevoked(headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        # Roles taken away since the token was issued are dropped, whatever checks them later.
        kept = {
            slug: role
            for slug, role in actor.tenant_roles.items()
            if not await revocations.role_revoked(actor.user_id, slug, actor.issued_at)
        }
        if len(kept) != len(actor.tenant_roles):
            actor = replace(actor, tenant_roles=kept)
    return actor


def _declares(access: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__reservo_access__ = access  # type: ignore[attr-defined]
        return fn

    return mark


@_declares("public")
async def _public(request: Request, credentials: Credentials) -> Actor | None:
    try:
        return await _authenticate(request, credentials)
    except Unauthorized:
        return None  # a public endpoint answers anonymous callers; a bad token just isn't used


@_declares("customer")
async def _signed_in(request: Request, credentials: Credentials) -> Actor:
    actor = await _authenticate(request, credentials)
    if actor is None:
        raise Unauthorized(headers={"WWW-Authenticate": "Bearer"})
    return actor


def _tenant_role(*allowed: Role) -> Callable[..., Any]:
    @_declares("owner" if allowed == (Role.owner,) else "staff")
    async def dependency(tenant: str, request: Request, credentials: Credentials) -> Actor:
        actor: Actor = await _signed_in(request, credentials)
        if actor.is_admin:
            return actor
        if actor.role_in(tenant) in allowed:
            revocations = _revocations(request)
            if revocations is None or not await revocations.role_revoked(
                actor.user_id, tenant, actor.issued_at
            ):
                return actor
        raise Forbidden("You have no access to this tenant")

    return dependency


@_declares("admin")
async def _admin(request: Request, credentials: Credentials) -> Actor:
    actor: Actor = await _signed_in(request, credentials)
    if not actor.is_admin:
        raise Forbidden("Platform admins only")
    return actor


Anyone = Annotated[Actor | None, Depends(_public)]
SignedIn = Annotated[Actor, Depends(_signed_in)]
TenantStaff = Annotated[Actor, Depends(_tenant_role(Role.staff, Role.owner))]
TenantOwner = Annotated[Actor, Depends(_tenant_role(Role.owner))]
PlatformAdmin = Annotated[Actor, Depends(_admin)]


def declared_access(dependant_calls: list[Callable[..., Any]]) -> list[str]:
    return [c.__reservo_access__ for c in dependant_calls if hasattr(c, "__reservo_access__")]
