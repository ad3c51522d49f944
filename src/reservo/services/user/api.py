"""HTTP routes of the user service: auth, the signed-in user, tenants and invitations, JWKS."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from reservo.platform.auth.deps import Anyone, SignedIn, TenantOwner, TenantStaff
from reservo.platform.deps import context_of
from reservo.platform.http.pagination import Page
from reservo.platform.http.problems import RateLimited, problem_responses
from reservo.platform.tenancy import TenantNotFound
from reservo.services.user.cookies import clear_cookie, from_cookie, into_cookie
from reservo.services.user.deps import Accounts, ClientInfo, Tenants, no_store
from reservo.services.user.errors import (
    CurrencyLocked,
    EmailTaken,
    InvalidCredentials,
    InvalidLink,
    InvalidRefreshToken,
    InvitationForSomeoneElse,
    InvitationNotFound,
    LastOwner,
    MemberNotFound,
    PasswordTooLong,
    SessionNotFound,
    SlugTaken,
    VerifyEmailFirst,
    WeakPassword,
)
from reservo.services.user.schemas import (
    Accepted,
    InvitationCreate,
    InvitationRead,
    LinkTokenIn,
    LoginIn,
    MemberRead,
    MembershipRead,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetRequestIn,
    RefreshIn,
    RegisterIn,
    SessionRead,
    TenantCreate,
    TenantCreatedRead,
    TenantRead,
    TenantUpdate,
    TokenPair,
    UserRead,
)
from reservo.services.user.settings import UserSettings

router = APIRouter(prefix="/api/v1", tags=["tenants"])


auth = APIRouter(prefix="/api/v1", tags=["auth"], dependencies=[Depends(no_store)])
wellknown = APIRouter(tags=["auth"])


@wellknown.get("/.well-known/jwks.json")
async def jwks(request: Request, response: Response, _: Anyone) -> dict[str, Any]:
    """Public keys that verify access tokens (every service caches these)."""
    keys = request.app.state.runtime.keys
    document: dict[str, Any] = keys.jwks() if keys is not None else {"keys": []}
    response.headers["Cache-Control"] = "public, max-age=300"
    return document


# -- accounts -----------------------------------------------------------------------------------


CookieMode = Annotated[
    bool,
    Query(
        alias="cookie",
        description="browser variant: the refresh token goes to an httpOnly SameSite cookie, not the body",
    ),
]


def _maybe_cookie(pair: TokenPair, cookie: bool, request: Request, response: Response) -> TokenPair:
    if not cookie:
        return pair
    days = context_of(request, "user").settings_of(UserSettings).refresh_token_days
    return into_cookie(pair, request, response, days * 86400)


@auth.post(
    "/auth/register",
    status_code=201,
    responses=problem_responses(EmailTaken, WeakPassword, PasswordTooLong, RateLimited),
)
async def register(
    body: RegisterIn,
    _: Anyone,
    accounts: Accounts,
    client: ClientInfo,
    request: Request,
    response: Response,
    cookie: CookieMode = False,
) -> TokenPair:
    """Create an account (email unverified until the emailed link is opened) and sign it in."""
    return _maybe_cookie(await accounts.register(body, client), cookie, request, response)


@auth.post("/auth/login", responses=problem_responses(InvalidCredentials, RateLimited))
async def login(
    body: LoginIn,
    _: Anyone,
    accounts: Accounts,
    client: ClientInfo,
    request: Request,
    response: Response,
    cookie: CookieMode = False,
) -> TokenPair:
    return _maybe_cookie(await accounts.login(body, client), cookie, request, response)


@auth.post("/auth/refresh", responses=problem_responses(InvalidRefreshToken))
async def refresh(
    _: Anyone,
    accounts: Accounts,
    client: ClientInfo,
    request: Request,
    response: Response,
    body: RefreshIn | None = None,
    cookie: CookieMode = False,
) -> TokenPair:
    """A new pair; the presented refresh token (body, or the cookie with `?cookie=true`) is spent.

    Roles are read fresh from memberships.
    """
    token = body.refresh_token if body is not None else (from_cookie(request) if cookie else None)
    if token is None:
        raise InvalidRefreshToken()
    return _maybe_cookie(await accounts.refresh(token, client), cookie, request, response)


@auth.post("/auth/logout", status_code=204, response_class=Response)
async def logout(
    _: Anyone,
    accounts: Accounts,
    request: Request,
    body: RefreshIn | None = None,
    cookie: CookieMode = False,
) -> Response:
    """Revoke the session of this refresh token (access tokens lapse within minutes)."""
    token = body.refresh_token if body is not None else (from_cookie(request) if cookie else None)
    if token is not None:
        await accounts.logout(token)
    answer = Response(status_code=204)
    if cookie:
        clear_cookie(request, answer)
    return answer


@auth.post("/auth/verify-email", responses=problem_responses(InvalidLink))
async def verify_email(body: LinkTokenIn, _: Anyone, accounts: Accounts) -> UserRead:
    return await accounts.verify_email(body.token)


@auth.post("/auth/verify-email/request", status_code=202, responses=problem_responses(RateLimited))
async def request_verification(actor: SignedIn, accounts: Accounts, client: ClientInfo) -> Accepted:
    await accounts.resend_verification(actor, client)
    return Accepted(detail="If the email is not verified yet, a new link is on its way")


@auth.post("/auth/password-reset/request", status_code=202, responses=problem_responses(RateLimited))
async def request_password_reset(
    body: PasswordResetRequestIn, _: Anyone, accounts: Accounts, client: ClientInfo
) -> Accepted:
    """Always 202: whether the email has an account is not revealed."""
    await accounts.request_password_reset(body.email, client)
    return Accepted(detail="If an account uses this email, a reset link is on its way")


@auth.post(
    "/auth/password-reset/confirm",
    status_code=204,
    response_class=Response,
    responses=problem_responses(InvalidLink, WeakPassword, PasswordTooLong),
)
async def confirm_password_reset(body: PasswordResetConfirmIn, _: Anyone, accounts: Accounts) -> Response:
    """Set the new password and sign the account out everywhere."""
    await accounts.confirm_password_reset(body)
    return Response(status_code=204)


@auth.post(
    "/users/me/password",
    status_code=204,
    response_class=Response,
    responses=problem_responses(InvalidCredentials, WeakPassword, PasswordTooLong, RateLimited),
)
async def change_password(
    body: PasswordChangeIn, actor: SignedIn, accounts: Accounts, client: ClientInfo
) -> Response:
    """Change the password (the current one is required). Every other sign-in ends at once, and any
    password reset link that is still out stops working."""
    await accounts.change_password(actor, body, client)
    return Response(status_code=204)


@auth.get("/users/me")
async def me(actor: SignedIn, accounts: Accounts) -> UserRead:
    return await accounts.me(actor)


@auth.get("/users/me/sessions")
async def sessions(actor: SignedIn, accounts: Accounts) -> Page[SessionRead]:
    """Active sign-in sessions (one per device/sign-in); `current` marks this token's session."""
    return Page[SessionRead](items=await accounts.sessions(actor), next_cursor=None)


@auth.delete(
    "/users/me/sessions/{session_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(SessionNotFound),
)
async def revoke_session(session_id: uuid.UUID, actor: SignedIn, accounts: Accounts) -> Response:
    await accounts.revoke_session(actor, session_id)
    return Response(status_code=204)


# -- tenants ------------------------------------------------------------------------------------


@router.post("/tenants", status_code=201, responses=problem_responses(SlugTaken, VerifyEmailFirst))
async def create_tenant(
    body: TenantCreate, actor: SignedIn, tenants: Tenants, request: Request, response: Response
) -> TenantCreatedRead:
    """The caller becomes the tenant's owner. The answer's `access_token` carries the role at once
    (same session, same lifetime as any access token); later refreshes carry it too."""
    tenant = await tenants.create(actor, body)
    issuer = request.app.state.runtime.issuer()
    response.headers["Cache-Control"] = "no-store"
    read = TenantCreatedRead.model_validate(tenant)
    read.access_token = await tenants.fresh_token(actor, issuer)
    read.expires_in = int(issuer.ttl.total_seconds())
    return read


@router.get("/tenants/{tenant}", responses=problem_responses(TenantNotFound))
async def get_tenant(tenant: str, _: Anyone, tenants: Tenants) -> TenantRead:
    return TenantRead.model_validate(await tenants.get(tenant))


@router.patch("/tenants/{tenant}", responses=problem_responses(TenantNotFound, CurrencyLocked))
async def update_tenant(tenant: str, body: TenantUpdate, _: TenantOwner, tenants: Tenants) -> TenantRead:
    return TenantRead.model_validate(await tenants.update(tenant, body))


@router.get("/tenants/{tenant}/members", responses=problem_responses(TenantNotFound))
async def list_members(tenant: str, _: TenantStaff, tenants: Tenants) -> Page[MemberRead]:
    items = [MemberRead.model_validate(m) for m in await tenants.members(tenant)]
    return Page[MemberRead](items=items, next_cursor=None)


@router.delete(
    "/tenants/{tenant}/members/{user_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(TenantNotFound, MemberNotFound, LastOwner),
)
async def remove_member(tenant: str, user_id: uuid.UUID, _: TenantOwner, tenants: Tenants) -> Response:
    """Remove staff (or a co-owner). Their next refresh no longer carries the role."""
    await tenants.remove_member(tenant, user_id)
    return Response(status_code=204)


@router.post("/tenants/{tenant}/invitations", status_code=201, responses=problem_responses(TenantNotFound))
async def invite(tenant: str, body: InvitationCreate, actor: TenantOwner, tenants: Tenants) -> InvitationRead:
    """Email `email` a link that makes them staff of this tenant once they accept it signed in."""
    return InvitationRead.model_validate(await tenants.invite(actor, tenant, body.email))


@router.get("/tenants/{tenant}/invitations", responses=problem_responses(TenantNotFound))
async def list_invitations(tenant: str, _: TenantOwner, tenants: Tenants) -> Page[InvitationRead]:
    items = [InvitationRead.model_validate(i) for i in await tenants.invitations(tenant)]
    return Page[InvitationRead](items=items, next_cursor=None)


@router.post(
    "/tenants/{tenant}/invitations/accept",
    responses=problem_responses(InvitationNotFound, InvitationForSomeoneElse),
)
async def accept_invitation(
    tenant: str, body: LinkTokenIn, actor: SignedIn, tenants: Tenants
) -> MembershipRead:
    """Join as staff. Refresh the access token afterwards to carry the new role."""
    membership = await tenants.accept(actor, tenant, body.token)
    return MembershipRead(tenant=tenant, role=membership.role)
