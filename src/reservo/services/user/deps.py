"""Annotated dependencies of the user service."""

from typing import Annotated

from fastapi import Depends, Request, Response

from reservo.platform.deps import service_context
from reservo.platform.service import ServiceContext
from reservo.services.user.service import AccountService, TenantService
from reservo.services.user.service.accounts import Client
from reservo.services.user.service.social import SocialService
from reservo.services.user.settings import UserSettings
from reservo.services.user.social.providers import OidcProvider

Context = Annotated[ServiceContext, Depends(service_context("user"))]


async def _tenants(ctx: Context) -> TenantService:
    return TenantService(ctx)


async def _accounts(ctx: Context, request: Request) -> AccountService:
    return AccountService(ctx, request.app.state.runtime.issuer())


async def _client(request: Request) -> Client:
    # Behind a proxy, uvicorn's --forwarded-allow-ips makes request.client the real client address.
    ip = request.client.host if request.client else "unknown"
    return Client(ip=ip, user_agent=request.headers.get("user-agent", "")[:300])


Tenants = Annotated[TenantService, Depends(_tenants)]
Accounts = Annotated[AccountService, Depends(_accounts)]
ClientInfo = Annotated[Client, Depends(_client)]


async def _social(ctx: Context, request: Request) -> SocialService:
    return SocialService(ctx, request.app.state.runtime.issuer())


async def _provider(provider: str, ctx: Context) -> OidcProvider:
    """The path's `{provider}`, if this deployment configured it (else 404 provider_not_configured)."""
    return OidcProvider(provider, ctx.settings_of(UserSettings), ctx.settings.public_url)


Social = Annotated[SocialService, Depends(_social)]
Provider = Annotated[OidcProvider, Depends(_provider)]


async def no_store(response: Response) -> None:
    """Answers carrying credentials are never cached (RFC 6749 §5.1) nor replayed by Idempotency-Key."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
