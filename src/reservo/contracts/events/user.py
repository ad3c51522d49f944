"""Events of the user service."""

from __future__ import annotations

import uuid

from reservo.platform.events.envelope import Event, register


@register
class TenantCreated(Event):
    TYPE = "user.tenant.created"
    id: uuid.UUID
    slug: str
    name: str
    timezone: str
    currency: str


@register
class TenantUpdated(TenantCreated):
    TYPE = "user.tenant.updated"
