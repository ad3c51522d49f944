"""Events of the user service.

The `*.requested` events ask the notification service to email a one-time link. They carry the raw
link token (only the user service's hash of it is stored): treat the user topic as confidential, as
the emails themselves are. Tokens expire (hours) and work once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from reservo.platform.events.envelope import Event, register


@register
class TenantCreated(Event):
    TYPE = "user.tenant.created"
    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    currency: str
    branding: dict[str, Any] = Field(default_factory=dict)
    # For receipts and emails (added with the receipt service; older events lack them).
    locale: str = "en"
    address: str | None = None
    tax_id: str | None = None


@register
class TenantUpdated(TenantCreated):
    TYPE = "user.tenant.updated"


@register
class UserRegistered(Event):
    TYPE = "user.registered"
    id: uuid.UUID
    email: str
    name: str
    method: str  # password | google | apple


class _LinkRequested(Event):
    user_id: uuid.UUID
    email: str
    name: str
    token: str  # raw one-time token; the link is url
    url: str
    expires_at: datetime

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
    token: str
    url: str
    expires_at: datetime
