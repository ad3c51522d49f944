"""Tables of user.db: accounts, sign-in sessions, one-time links, social identities, tenants."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reservo.platform.db.base import TYPE_MAP, IdMixin, TimestampMixin, VersionMixin, service_metadata


class Base(DeclarativeBase):
    metadata = service_metadata("user", tenant_scoped=False)
    type_annotation_map = TYPE_MAP


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(256), default=None)  # None: social only
    email_verified_at: Mapped[datetime | None] = mapped_column(default=None)
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Profile (issue 14): a BCP 47 language for the web app and emails, a phone for SMS.
    locale: Mapped[str | None] = mapped_column(String(35), default=None)
    phone: Mapped[str | None] = mapped_column(String(40), default=None)
    # A platform admin suspended the account: it cannot sign in, its sessions are revoked.
    suspended_at: Mapped[datetime | None] = mapped_column(default=None)
    # The account was deleted: the row stays (ids in other services point at it) without personal data.
    erased_at: Mapped[datetime | None] = mapped_column(default=None)


class SignInSession(IdMixin, Base):
    """A refresh-token family: one sign-in on one device; revoking it signs that device out."""

    __tablename__ = "sessions"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), default=None)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(16))  # password | google | apple | register


class RefreshToken(IdMixin, Base):
    """Opaque refresh tokens, stored as sha256; each is used once and replaced (rotation)."""

    __tablename__ = "refresh_tokens"
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sessions.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class OneTimeToken(IdMixin, Base):
    """Email verification and password reset links: random, stored hashed, expiring, single use."""

    __tablename__ = "one_time_tokens"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))  # verify_email | password_reset
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320))  # the address the link went to
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class SocialIdentity(IdMixin, TimestampMixin, Base):
    __tablename__ = "social_identities"
    __table_args__ = (UniqueConstraint("provider", "subject"),)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    provider: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320), default=None)
    email_verified: Mapped[bool] = mapped_column(default=False)
    is_private_email: Mapped[bool] = mapped_column(default=False)


class OAuthState(IdMixin, Base):
    """A started social sign-in: state (hashed), nonce and PKCE verifier; single use, expiring."""

    __tablename__ = "oauth_states"
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    provider: Mapped[str] = mapped_column(String(16))
    nonce: Mapped[str] = mapped_column(String(64))
    code_verifier: Mapped[str] = mapped_column(String(128))
    binding_hash: Mapped[str] = mapped_column(String(64))  # sha256 of the starting browser's secret
    link_user_id: Mapped[uuid.UUID | None] = mapped_column(default=None)  # explicit link while signed in
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class Tenant(IdMixin, TimestampMixin, VersionMixin, Base):
    __tablename__ = "tenants"
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    branding: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Printed on receipts and used to pick the language of emails (Babel locale, e.g. "de").
    locale: Mapped[str] = mapped_column(String(35), default="en", server_default="en")
    address: Mapped[str | None] = mapped_column(String(500), default=None)
    tax_id: Mapped[str | None] = mapped_column(String(64), default=None)
    suspended_at: Mapped[datetime | None] = mapped_column(default=None)  # by a platform admin

    @property
    def suspended(self) -> bool:
        return self.suspended_at is not None


class Membership(IdMixin, TimestampMixin, Base):
    # user_id has no foreign key on purpose: a signed access token is trusted for its subject
    # (service-to-service and test tokens included), as every other service trusts it.
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)
    tenant_id: Mapped[uuid.UUID] = mapped_column(index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))


class Invitation(IdMixin, Base):
    __tablename__ = "invitations"
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[uuid.UUID]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None] = mapped_column(default=None)
    accepted_by: Mapped[uuid.UUID | None] = mapped_column(default=None)
