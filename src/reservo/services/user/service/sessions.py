"""Sign-in sessions (refresh-token families) and the token pairs handed to clients."""

from __future__ import annotations

from datetime import datetime, timedelta

from reservo.platform.auth.opaque import digest, new_secret
from reservo.platform.auth.tokens import TokenIssuer
from reservo.platform.db.uow import Transaction
from reservo.platform.service import ServiceContext
from reservo.services.user.errors import AccountSuspended
from reservo.services.user.models import RefreshToken, SignInSession, User
from reservo.services.user.repository import UserRepository
from reservo.services.user.schemas import MembershipRead, TokenPair, UserRead
from reservo.services.user.settings import UserSettings


async def user_read(repo: UserRepository, user: User) -> UserRead:
    roles = await repo.roles(user.id)
    return UserRead(
        id=user.id,
        email=user.email,
        name=user.name,
        email_verified=user.email_verified_at is not None,
        is_admin=user.is_admin,
        tenants=[MembershipRead(tenant=slug, role=role) for slug, role in roles.items()],
        providers=await repo.providers(user.id),
        has_password=user.password_hash is not None,
        locale=user.locale,
        phone=user.phone,
    )


class Sessions:
    def __init__(self, ctx: ServiceContext, issuer: TokenIssuer) -> None:
        self._ctx = ctx
        self._issuer = issuer

    @property
    def refresh_ttl(self) -> timedelta:
        return timedelta(days=self._ctx.settings_of(UserSettings).refresh_token_days)

    def add_refresh_token(self, tx: Transaction, session: SignInSession, now: datetime) -> str:
        raw = new_secret()
        tx.session.add(
            RefreshToken(
                session_id=session.id,
                token_hash=digest(raw),
                created_at=now,
                expires_at=now + self.refresh_ttl,
            )
        )
        return raw

    async def open(self, tx: Transaction, user: User, method: str, user_agent: str) -> TokenPair:
        """A new session for `user` (a sign-in) and its first token pair, in the caller's transaction."""
        now = self._ctx.clock.now()
        session = SignInSession(
            user_id=user.id, created_at=now, last_used_at=now, user_agent=user_agent[:300], method=method
        )
        tx.session.add(session)
        await tx.session.flush()
        raw = self.add_refresh_token(tx, session, now)
        return await self.pair(tx, user, session, raw)

    async def pair(self, tx: Transaction, user: User, session: SignInSession, refresh: str) -> TokenPair:
        """Access token minted from the user's *current* memberships, so refresh picks up new roles.

        Every sign-in and refresh comes here: a suspended or deleted account gets no token."""
        if user.suspended_at is not None or user.erased_at is not None:
            raise AccountSuspended()
        repo = UserRepository(tx.session)
        read = await user_read(repo, user)
        access = self._issuer.mint(
            user_id=user.id,
            email=user.email,
            name=user.name,
            tenants={m.tenant: m.role for m in read.tenants},
            admin=user.is_admin,
            session_id=session.id,
        )
        return TokenPair(
            access_token=access,
            refresh_token=refresh,
            expires_in=int(self._issuer.ttl.total_seconds()),
            user=read,
        )
