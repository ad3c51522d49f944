"""HTTP routes of social sign-in (Google, Apple): providers, start, callback, explicit link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from reservo.platform.auth.deps import Anyone, SignedIn
from reservo.platform.deps import context_of
from reservo.platform.http.pagination import Page
from reservo.platform.http.problems import problem_responses
from reservo.services.user.cookies import into_cookie
from reservo.services.user.deps import ClientInfo, Context, Provider, Social, no_store
from reservo.services.user.errors import (
    AccountExists,
    IdentityLinkedElsewhere,
    InvalidIdToken,
    InvalidState,
    ProviderError,
    ProviderNotConfigured,
    SocialSignInFailed,
)
from reservo.services.user.schemas import ProviderRead, StartRead, TokenPair
from reservo.services.user.settings import UserSettings
from reservo.services.user.social.providers import configured

social = APIRouter(prefix="/api/v1", tags=["auth"], dependencies=[Depends(no_store)])


_SOCIAL_PROBLEMS = (
    ProviderNotConfigured,
    InvalidState,
    InvalidIdToken,
    SocialSignInFailed,
    AccountExists,
    IdentityLinkedElsewhere,
    ProviderError,
)


@social.get("/auth/providers")
async def providers(ctx: Context, _: Anyone) -> Page[ProviderRead]:
    """The social sign-in providers this deployment configured."""
    names = configured(ctx.settings_of(UserSettings))
    items = [ProviderRead(name=n, start_url=f"/api/v1/auth/{n}/start") for n in names]
    return Page[ProviderRead](items=items, next_cursor=None)


BINDING_COOKIE = "reservo_oauth_binding"


def _bind(response: Response, started: StartRead) -> None:
    # SameSite=None: Apple's form_post is a cross-site POST. Secure: browsers treat localhost as secure.
    response.set_cookie(
        BINDING_COOKIE,
        started.binding,
        max_age=900,
        path="/api/v1/auth",
        secure=True,
        httponly=True,
        samesite="none",
    )


@social.get("/auth/{provider}/start", responses=problem_responses(ProviderNotConfigured, ProviderError))
async def start_social(provider: Provider, response: Response, _: Anyone, social: Social) -> StartRead:
    """Where to send the browser: the provider's page, with state, nonce and a PKCE (S256) challenge."""
    started = await social.start(provider)
    _bind(response, started)
    return started


@social.get(
    "/auth/oauth/{provider}/authorize",
    status_code=302,
    response_class=RedirectResponse,
    responses=problem_responses(ProviderNotConfigured, ProviderError),
)
async def authorize_redirect(provider: Provider, _: Anyone, social: Social) -> RedirectResponse:
    """The browser flow of /auth/{provider}/start: a 302 straight to the provider's page."""
    started = await social.start(provider)
    redirect = RedirectResponse(started.authorization_url, status_code=302)
    _bind(redirect, started)
    return redirect


@social.get("/users/me/identities/{provider}/start", responses=problem_responses(ProviderNotConfigured))
async def start_link(provider: Provider, response: Response, actor: SignedIn, social: Social) -> StartRead:
    """Like /auth/{provider}/start, but the callback links the provider account to the signed-in user."""
    started = await social.start(provider, link_to=actor)
    _bind(response, started)
    return started


async def _finish(
    request: Request, provider: Provider, social: Social, client: ClientInfo, params: dict[str, str]
) -> TokenPair:
    if "error" in params:  # the user declined, or the provider refused
        raise SocialSignInFailed(f"{provider.name} answered {params['error'][:100]}", reason="provider_error")
    if not params.get("code") or not params.get("state"):
        raise SocialSignInFailed("The callback needs code and state", reason="missing_parameters")
    binding = request.headers.get("x-oauth-binding") or request.cookies.get(BINDING_COOKIE)
    return await social.callback(
        provider,
        code=params["code"],
        state=params["state"],
        binding=binding,
        user_json=params.get("user"),
        client=client,
    )


WEB_LANDING = "/signin/social"  # the web app's page that turns the refresh cookie into a session


def _wants_page(request: Request) -> bool:
    """A browser arriving from the provider (a navigation: it accepts HTML), not an API client."""
    return "text/html" in request.headers.get("accept", "")


async def _finish_for(
    request: Request, provider: Provider, social: Social, client: ClientInfo, params: dict[str, str]
) -> TokenPair | Response:
    """JSON for API clients; for a browser a 303 into the web app with the session in the httpOnly
    refresh cookie: no token in any URL. A failure lands there too, with only its problem code."""
    if not _wants_page(request):
        return await _finish(request, provider, social, client, params)
    landing = f"{request.app.state.settings.public_url.rstrip('/')}{WEB_LANDING}"
    try:
        pair = await _finish(request, provider, social, client, params)
    except _SOCIAL_PROBLEMS as exc:
        return RedirectResponse(f"{landing}?{urlencode({'error': exc.code})}", status_code=303)
    redirect = RedirectResponse(landing, status_code=303)
    days = context_of(request, "user").settings_of(UserSettings).refresh_token_days
    into_cookie(pair, request, redirect, days * 86400)
    redirect.delete_cookie(BINDING_COOKIE, path="/api/v1/auth", secure=True, httponly=True, samesite="none")
    return redirect


@social.get(
    "/auth/{provider}/callback", response_model=TokenPair, responses=problem_responses(*_SOCIAL_PROBLEMS)
)
async def social_callback(
    request: Request, provider: Provider, _: Anyone, social: Social, client: ClientInfo
) -> TokenPair | Response:
    return await _finish_for(
        request, provider, social, client, {k: v[:4096] for k, v in request.query_params.items()}
    )


@social.post(
    "/auth/{provider}/callback", response_model=TokenPair, responses=problem_responses(*_SOCIAL_PROBLEMS)
)
async def social_callback_form(
    request: Request, provider: Provider, _: Anyone, social: Social, client: ClientInfo
) -> TokenPair | Response:
    """Apple's `form_post`: code, state, id_token and, on the first authorization only, `user` (JSON)."""
    try:
        form = parse_qs((await request.body()).decode(), max_num_fields=20)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SocialSignInFailed("The callback body is not a form", reason="missing_parameters") from exc
    return await _finish_for(
        request, provider, social, client, {k: v[0][:4096] for k, v in form.items() if v}
    )


@social.get(
    "/auth/oauth/{provider}/callback",
    response_model=TokenPair,
    responses=problem_responses(*_SOCIAL_PROBLEMS),
)
async def oauth_callback(
    request: Request, provider: Provider, _: Anyone, social: Social, client: ClientInfo
) -> TokenPair | Response:
    """Alias of GET /auth/{provider}/callback (the ARCHITECTURE.md contract path)."""
    return await social_callback(request, provider, _, social, client)


@social.post(
    "/auth/oauth/{provider}/callback",
    response_model=TokenPair,
    responses=problem_responses(*_SOCIAL_PROBLEMS),
)
async def oauth_callback_form(
    request: Request, provider: Provider, _: Anyone, social: Social, client: ClientInfo
) -> TokenPair | Response:
    """Alias of POST /auth/{provider}/callback (the ARCHITECTURE.md contract path)."""
    return await social_callback_form(request, provider, _, social, client)
