"""Accounts: register, sign in, refresh (rotation with reuse detection), sign out, sessions,
email verification and password reset through one-time links."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from reservo.contracts.events.user import (
    EMAIL_VERIFICATION_PURPOSE,
    PASSWORD_RESET_PURPOSE,
    EmailVerificationRequested,
    PasswordResetRequested,
    UserRegistered,
)
from reservo.platform.auth.actor import Actor
from reservo.platform.auth.links import link_token
from reservo.platform.auth.opaque import digest
from reservo.platform.auth.tokens import TokenIssuer
from reservo.platform.db.uow import Transaction
from reservo.platform.http.problems import NotFound
from reservo.platform.http.ratelimit import enforce
from reservo.platform.service import ServiceContext
from reservo.services.user.errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidLink,
    InvalidRefreshToken,
    SessionNotFound,
)
from reservo.services.user.models import OneTimeToken, SignInSession, User
from reservo.services.user.passwords import check_policy, passwords
from reservo.services.user.repository import UserRepository
from reservo.services.user.schemas import (
    LoginIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    RegisterIn,
    SessionRead,
    TokenPair,
    UserRead,
)
from reservo.services.user.service.sessions import Sessions, user_read
from reservo.services.user.settings import UserSettings

VERIFY_EMAIL, PASSWORD_RESET = "verify_email", "password_reset"
LINK_PURPOSES = {VERIFY_EMAIL: EMAIL_VERIFICATION_PURPOSE, PASSWORD_RESET: PASSWORD_RESET_PURPOSE}


class UserNotFound(NotFound):
    code, title = "user_not_found", "No account behind this token"


@dataclass(frozen=True, slots=True)
class Client:
    """Who is knocking: the client IP (for rate limits) and user agent (shown in the session list)."""

    ip: str
    user_agent: str = ""


class AccountService:
    def __init__(self, ctx: ServiceContext, issuer: TokenIssuer) -> None:
        self._ctx = ctx
        self._sessions = Sessions(ctx, issuer)
        self._passwords = passwords(ctx.settings_of(UserSettings))

    def _account_tiers(self, action: str, account: str, ip: str) -> list[tuple[str, int, float]]:
        """Limits on one account *from one source*, with backoff: 10 per 15 min, 20 per hour, 40 per
        4 hours (by default). A stranger guessing from elsewhere exhausts only their own source's
        budget, so the owner signing in from their own address is never locked out (issue 9 item 8)."""
        s = self._ctx.settings_of(UserSettings)
        base = f"{action}:account:{account.lower()}:ip:{ip}"
        return [
            (f"{base}:{tier}", s.auth_account_limit * 2**tier, s.auth_account_window * 4**tier)
            for tier in range(3)
        ]

    async def _limit(self, action: str, *, ip: str, account: str | None = None) -> None:
        s = self._ctx.settings_of(UserSettings)
        await enforce(self._ctx.rate_limiter, f"{action}:ip:{ip}", s.auth_ip_limit, s.auth_ip_window)
        if account is not None:
            for key, limit, window in self._account_tiers(action, account, ip):
                await enforce(self._ctx.rate_limiter, key, limit, window)

    # -- register / login / refresh / logout ----------------------------------------------------

    async def register(self, data: RegisterIn, client: Client) -> TokenPair:
        await self._limit("register", ip=client.ip)
        check_policy(data.password, email=data.email)
        hashed = await self._passwords.hash(data.password)
        try:
            async with self._ctx.uow.transaction() as tx:
                if await UserRepository(tx.session).by_email(data.email) is not None:
                    raise EmailTaken()
                user = User(email=data.email, name=data.name, password_hash=hashed, locale=data.locale)
                tx.session.add(user)
                await tx.session.flush()
                tx.publish(
                    UserRegistered(id=user.id, email=user.email, name=user.name, method="password"),
                    tenant_id=None,
                )
                self.request_link(tx, user, VERIFY_EMAIL)
                pair = await self._sessions.open(tx, user, "password", client.user_agent)
        except IntegrityError as exc:  # a concurrent registration of the same email won
            raise EmailTaken() from exc
        return pair

    async def login(self, data: LoginIn, client: Client) -> TokenPair:
        await self._limit("login", ip=client.ip, account=data.email)
        async with self._ctx.uow.read() as session:
            user = await UserRepository(session).by_email(data.email)
        stored = user.password_hash if user is not None else None
        # An unknown email still costs one hash comparison: both failures look and time the same.
        if not await self._passwords.verify(data.password, stored) or user is None or stored is None:
            raise InvalidCredentials()
        for key, _, _ in self._account_tiers("login", data.email, client.ip):
            await self._ctx.rate_limiter.reset(key)
        async with self._ctx.uow.transaction() as tx:
            return await self._sessions.open(tx, user, "password", client.user_agent)

    async def refresh(self, raw: str, client: Client) -> TokenPair:
        now = self._ctx.clock.now()
        reused = False
        async with self._ctx.uow.transaction() as tx:
            repo = UserRepository(tx.session)
            token = await repo.refresh_token(digest(raw))
            if token is None:
                raise InvalidRefreshToken()
            family = await repo.sign_in_session(token.session_id)
            if family is None or family.revoked_at is not None:
                raise InvalidRefreshToken()
            if token.used_at is not None or not await repo.use_refresh_token(token.id, now):
                # A rotated token came back: someone holds a copy. Revoke the whole family.
                await repo.revoke_sessions(now, "reuse", user_id=family.user_id, session_id=family.id)
                reused = True
            elif token.expires_at <= now:
                raise InvalidRefreshToken()
            else:
                user = await repo.by_id(family.user_id)
                if user is None:
                    raise InvalidRefreshToken()
                family.last_used_at = now
                pair = await self._sessions.pair(
                    tx, user, family, self._sessions.add_refresh_token(tx, family, now)
                )
        if reused:  # raised after the commit, so the revocation sticks
            await self._revoke([family.id])
            raise InvalidRefreshToken("This refresh token was already used; the session is revoked")
        return pair

    async def logout(self, raw: str) -> None:
        """Revoke the session (family) the refresh token belongs to; unknown tokens are ignored."""
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = UserRepository(tx.session)
            token = await repo.refresh_token(digest(raw))
            family = None if token is None else await repo.sign_in_session(token.session_id)
            if family is not None:
                await repo.revoke_sessions(now, "logout", user_id=family.user_id, session_id=family.id)
        if family is not None:
            await self._revoke([family.id])

    # -- me and sessions ------------------------------------------------------------------------

    async def me(self, actor: Actor) -> UserRead:
        async with self._ctx.uow.read() as session:
            repo = UserRepository(session)
            user = await repo.by_id(actor.user_id)
            if user is None:
                raise UserNotFound()
            return await user_read(repo, user)

    async def sessions(self, actor: Actor) -> list[SessionRead]:
        async with self._ctx.uow.read() as session:
            rows = await UserRepository(session).active_sessions(actor.user_id)
        return [_session_read(s, actor) for s in rows]

    async def revoke_session(self, actor: Actor, session_id: uuid.UUID) -> None:
        async with self._ctx.uow.transaction() as tx:
            repo = UserRepository(tx.session)
            now = self._ctx.clock.now()
            if not await repo.revoke_sessions(now, "revoked", user_id=actor.user_id, session_id=session_id):
                raise SessionNotFound()
        await self._revoke([session_id])

    # -- one-time links ---------------------------------------------------------------------------

    def request_link(self, tx: Transaction, user: User, purpose: str) -> None:
        """Store a one-time link (its token hashed) and ask notification to email it; the token is derived
        from the link id, so the event carries none."""
        s = self._ctx.settings_of(UserSettings)
        now = self._ctx.clock.now()
        link_id = uuid.uuid4()
        # The token is derived from the link's id (no event carries it; the mailer derives it too).
        raw = link_token(self._ctx.settings.secret_key.get_secret_value(), LINK_PURPOSES[purpose], link_id)
        ttl = (
            timedelta(hours=s.email_token_hours)
            if purpose == VERIFY_EMAIL
            else timedelta(minutes=s.password_reset_minutes)
        )
        tx.session.add(
            OneTimeToken(
                id=link_id,
                user_id=user.id,
                purpose=purpose,
                token_hash=digest(raw),
                email=user.email,
                created_at=now,
                expires_at=now + ttl,
            )
        )
        page = "verify-email" if purpose == VERIFY_EMAIL else "reset-password"
        event_type = EmailVerificationRequested if purpose == VERIFY_EMAIL else PasswordResetRequested
        event = event_type(
            user_id=user.id,
            email=user.email,
            name=user.name,
            link_id=link_id,
            url=f"{self._ctx.settings.public_url.rstrip('/')}/{page}",
            expires_at=now + ttl,
            locale=user.locale,
        )
        tx.publish(event, tenant_id=None)

    async def resend_verification(self, actor: Actor, client: Client) -> None:
        await self._limit("verify", ip=client.ip, account=str(actor.user_id))
        async with self._ctx.uow.transaction() as tx:
            user = await UserRepository(tx.session).by_id(actor.user_id)
            if user is None:
                raise UserNotFound()
            if user.email_verified_at is None:
                self.request_link(tx, user, VERIFY_EMAIL)

    async def _consume(self, tx: Transaction, purpose: str, raw: str, now: datetime) -> User:
        repo = UserRepository(tx.session)
        token = await repo.one_time_token(purpose, digest(raw))
        if token is None or token.used_at is not None or token.expires_at <= now:
            raise InvalidLink()
        user = await repo.by_id(token.user_id)
        if user is None or user.email != token.email or not await repo.use_one_time_token(token.id, now):
            raise InvalidLink()
        return user

    async def verify_email(self, raw: str) -> UserRead:
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            user = await self._consume(tx, VERIFY_EMAIL, raw, now)
            user.email_verified_at = user.email_verified_at or now
            await tx.session.flush()
            return await user_read(UserRepository(tx.session), user)

    async def request_password_reset(self, email: str, client: Client) -> None:
        """Always the same answer; an email goes out only when the account exists."""
        await self._limit("reset", ip=client.ip, account=email)
        async with self._ctx.uow.transaction() as tx:
            user = await UserRepository(tx.session).by_email(email)
            if user is not None:
                self.request_link(tx, user, PASSWORD_RESET)

    async def confirm_password_reset(self, data: PasswordResetConfirmIn) -> None:
        check_policy(data.password)  # before the link is spent
        hashed = await self._passwords.hash(data.password)
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            user = await self._consume(tx, PASSWORD_RESET, data.token, now)
            user.password_hash = hashed
            user.email_verified_at = user.email_verified_at or now  # the link proved the mailbox
            repo = UserRepository(tx.session)
            # Whoever knew the old password is signed out everywhere, and no other reset link works.
            ended = await repo.active_session_ids(user.id)
            await repo.revoke_sessions(now, "password_reset", user_id=user.id)
            await repo.spend_links(user.id, PASSWORD_RESET, now)
        await self._revoke(ended)

    async def change_password(self, actor: Actor, data: PasswordChangeIn, client: Client) -> None:
        """Set a new password, knowing the current one. Every other sign-in ends; this one stays."""
        check_policy(data.new_password, email=actor.email)
        async with self._ctx.uow.read() as session:
            user = await UserRepository(session).by_id(actor.user_id)
        stored = user.password_hash if user is not None else None
        await self._limit("password", ip=client.ip, account=str(actor.user_id))
        if user is None or stored is None or not await self._passwords.verify(data.current_password, stored):
            raise InvalidCredentials("The current password is wrong")
        hashed = await self._passwords.hash(data.new_password)
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = UserRepository(tx.session)
            fresh = await repo.by_id(actor.user_id)
            if fresh is None:
                raise UserNotFound()
            fresh.password_hash = hashed
            ended = [sid for sid in await repo.active_session_ids(fresh.id) if sid != actor.session_id]
            for sid in ended:
                await repo.revoke_sessions(now, "password_change", user_id=fresh.id, session_id=sid)
            await repo.spend_links(fresh.id, PASSWORD_RESET, now)
        await self._revoke(ended)

    async def _revoke(self, session_ids: list[uuid.UUID]) -> None:
        """Access tokens of these sessions stop working at once in every service (revocation.py)."""
        if self._ctx.revocations is not None and session_ids:
            await self._ctx.revocations.revoke_sessions(session_ids)


async def ensure_account(
    ctx: ServiceContext, email: str, password: str, name: str, *, admin: bool = False
) -> tuple[User, bool]:
    """Create a verified account (CLI: platform admins, the demo seed), or find the existing one.

    An existing account keeps its password; `admin` promotes it. Returns (user, created)."""
    email = email.strip().lower()
    check_policy(password, email=email)
    hashed = await passwords(ctx.settings_of(UserSettings)).hash(password)
    async with ctx.uow.transaction() as tx:
        user = await UserRepository(tx.session).by_email(email)
        if user is not None:
            user.is_admin = user.is_admin or admin
            return user, False
        now = ctx.clock.now()
        user = User(email=email, name=name, password_hash=hashed, email_verified_at=now, is_admin=admin)
        tx.session.add(user)
        await tx.session.flush()
        tx.publish(UserRegistered(id=user.id, email=email, name=name, method="cli"), tenant_id=None)
        return user, True


def _session_read(s: SignInSession, actor: Actor) -> SessionRead:
    return SessionRead(
        id=s.id,
        created_at=s.created_at,
        last_used_at=s.last_used_at,
        user_agent=s.user_agent,
        method=s.method,
        current=s.id == actor.session_id,
    )
