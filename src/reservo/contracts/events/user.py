"""Events of the user service.

The `*.requested` and `invitation.created` events ask the notification service to email a link. They
carry no secret: `url` is the link without its token and `link_id` the stored link's id; the mailer
derives token = link_token(secret_key, purpose, link_id) (platform/auth/links.py, purposes below) and
sends `{url}#token={token}`. Links expire and work once (the user service keeps a row per link).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from reservo.platform.events.envelope import Event, register
from reservo.platform.tenancy import TENANT_CREATED, TENANT_UPDATED, TenantReplicated


@register
class TenantCreated(TenantReplicated):
    """The tenant-replica contract of the platform (platform/tenancy.py), published by this service."""

    TYPE = TENANT_CREATED
    branding: dict[str, Any] = Field(default_factory=dict)
    # For receipts and emails (added with the receipt service; older events lack them).
    locale: str = "en"
    address: str | None = None
    tax_id: str | None = None


@register
class TenantUpdated(TenantCreated):
    TYPE = TENANT_UPDATED


@register
class UserRegistered(Event):
    TYPE = "user.registered"
    id: uuid.UUID
    email: str
    name: str
    method: str  # password | google | apple


@register
class UserErased(Event):
    """An account was deleted: every service erases or anonymises what it holds of this person.

    `email` is here because guest rows (bookings made signed out) carry only an address; it is the
    one piece of personal data the event holds (docs/decisions.md D14-A2)."""

    TYPE = "user.erased"
    user_id: uuid.UUID
    email: str

    @property
    def key(self) -> str:
        return str(self.user_id)


EMAIL_VERIFICATION_PURPOSE = "user.email_verification"
PASSWORD_RESET_PURPOSE = "user.password_reset"
INVITATION_PURPOSE = "user.invitation"


class _LinkRequested(Event):
    user_id: uuid.UUID
    email: str
    name: str
    link_id: uuid.UUID  # the link's token is derived from it (see the module docstring)
    url: str  # the link without its token
    expires_at: datetime
    locale: str | None = None  # the user's language for the email (BCP 47, e.g. "de"); None: English

    @property
    def key(self) -> str:
        return str(self.user_id)


@register
class EmailVerificationRequested(_LinkRequested):
    TYPE = "user.email_verification.requested"


@register
class PasswordResetRequested(_LinkRequested):
    TYPE = "user.password_reset.requested"


@register
class InvitationCreated(Event):
    TYPE = "user.invitation.created"
    id: uuid.UUID
    tenant_id: uuid.UUID
    tenant_name: str
    email: str
    role: str
    invited_by: str
    link_id: uuid.UUID  # token = link_token(secret_key, INVITATION_PURPOSE, link_id)
    url: str  # the link without its token
    expires_at: datetime


@register
class MembershipChanged(Event):
    """Someone joined a tenant's staff, changed role, or left (`role` None). The notification service
    keeps the addresses to tell staff about new bookings; keyed by tenant so one tenant's changes
    arrive in order."""

    TYPE = "user.membership.changed"
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    email: str
    role: str | None  # owner | staff; None: no longer a member
    changed_at: datetime

    @property
    def key(self) -> str:
        return str(self.tenant_id)
