"""Social sign-in use cases: start (state, nonce, PKCE stored server-side) and callback (account).

Linking rules: a provider identity (provider, sub) belongs to one user. A first sign-in with an email
that already has an account links to it only when the provider says the email is verified AND the
local account verified it too; otherwise 409 account_exists (sign in, then link explicitly while
signed in). Apple private-relay addresses are real addresses for mail, and follow the same rule.
"""

from __future__ import annotations

import hmac
import json
import secrets
import uuid
from datetime import timedelta

from reservo.contracts.events.user import UserRegistered
from reservo.platform.auth.actor import Actor
from reservo.platform.auth.opaque import digest, new_secret
from reservo.platform.auth.tokens import TokenIssuer
from reservo.platform.db.uow import Transaction
from reservo.platform.service import ServiceContext
from reservo.services.user.errors import (
    AccountExists,
    IdentityLinkedElsewhere,
    InvalidState,
    SocialSignInFailed,
)
from reservo.services.user.models import OAuthState, SocialIdentity, User
from reservo.services.user.repository import Credentials, UserRepository
from reservo.services.user.schemas import StartRead, TokenPair
from reservo.services.user.service.accounts import Client
from reservo.services.user.service.sessions import Sessions
from reservo.services.user.settings import UserSettings
from reservo.services.user.social.providers import IdClaims, OidcProvider


def apple_name(user_json: str | None) -> str | None:
    """The name Apple posts (as a JSON string) only on the first authorization."""
    if not user_json:
        return None
    try:
        name = json.loads(user_json).get("name") or {}
        full = " ".join(p for p in (name.get("firstName"), name.get("lastName")) if isinstance(p, str) and p)
    except (ValueError, AttributeError):
        return None
    return full[:200] or None


class SocialService:
    def __init__(self, ctx: ServiceContext, issuer: TokenIssuer) -> None:
        self._ctx = ctx
        self._sessions = Sessions(ctx, issuer)

    async def start(self, provider: OidcProvider, link_to: Actor | None = None) -> StartRead:
        state, nonce, verifier, binding = new_secret(), new_secret(), secrets.token_urlsafe(48), new_secret()
        now = self._ctx.clock.now()
        own = self._ctx.settings_of(UserSettings)
        async with self._ctx.uow.transaction() as tx:
            tx.session.add(
                OAuthState(
                    state_hash=digest(state),
                    provider=provider.name,
                    nonce=nonce,
                    code_verifier=verifier,
                    binding_hash=digest(binding),
                    link_user_id=link_to.user_id if link_to else None,
                    created_at=now,
                    expires_at=now + timedelta(minutes=own.oauth_state_minutes),
                )
            )
        url = await provider.authorization_url(state=state, nonce=nonce, code_verifier=verifier)
        return StartRead(authorization_url=url, state=state, binding=binding)

    async def _consume_state(self, provider: OidcProvider, state: str) -> OAuthState:
        """Single use: the state is spent before anything else happens, even if sign-in then fails."""
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            found = await Credentials(tx.session).consume_state(digest(state), provider.name, now)
            if found is None:
                raise InvalidState()
            return found

    async def callback(
        self,
        provider: OidcProvider,
        *,
        code: str,
        state: str,
        binding: str | None,
        user_json: str | None,
        client: Client,
    ) -> TokenPair:
        stored = await self._consume_state(provider, state)
        # The state must come back to the browser (or app) that started the flow: otherwise an
        # attacker could send a victim the callback URL of the attacker's own sign-in (login CSRF).
        if not hmac.compare_digest(stored.binding_hash, digest(binding or "")):
            raise InvalidState("This sign-in was started in another browser", reason="browser")
        id_token = await provider.exchange(code, stored.code_verifier)
        claims = await provider.verify_id_token(id_token, stored.nonce)
        name = apple_name(user_json) if provider.name == "apple" else claims.name
        async with self._ctx.uow.transaction() as tx:
            user = await self._account(tx, provider.name, claims, name, stored.link_user_id)
            return await self._sessions.open(tx, user, provider.name, client.user_agent)

    async def _account(
        self,
        tx: Transaction,
        provider: str,
        claims: IdClaims,
        name: str | None,
        link_user_id: uuid.UUID | None,
    ) -> User:
        session, repo = tx.session, UserRepository(tx.session)
        now = self._ctx.clock.now()
        identity = await repo.identity(provider, claims.subject)
        if identity is not None:
            if link_user_id is not None and identity.user_id != link_user_id:
                raise IdentityLinkedElsewhere()
            user = await repo.by_id(identity.user_id)
            assert user is not None
            identity.email, identity.email_verified = claims.email, claims.email_verified
            if name and not user.name:
                user.name = name
            return user

        if link_user_id is not None:  # explicit link, started while signed in
            user = await repo.by_id(link_user_id)
            if user is None:
                raise SocialSignInFailed("The account to link no longer exists")
        elif claims.email is None:
            raise SocialSignInFailed(f"{provider} shared no email address", reason="no_email")
        elif (existing := await repo.by_email(claims.email)) is not None:
            if not (claims.email_verified and existing.email_verified_at is not None):
                raise AccountExists()
            user = existing
        else:
            user = User(
                email=claims.email,
                name=name or claims.email.split("@")[0],
                password_hash=None,
                email_verified_at=now if claims.email_verified else None,
            )
            session.add(user)
            await session.flush()
            tx.publish(
                UserRegistered(id=user.id, email=user.email, name=user.name, method=provider), tenant_id=None
            )

        session.add(
            SocialIdentity(
                user_id=user.id,
                provider=provider,
                subject=claims.subject,
                email=claims.email,
                email_verified=claims.email_verified,
                is_private_email=claims.is_private_email,
            )
        )
        await session.flush()
        return user
