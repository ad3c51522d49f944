"""Events of the analytics service.

`analytics.browser_event` is published only for a visitor who gave marketing consent, so that the
integration service can forward it (TikTok ViewContent, InitiateCheckout) with the same `event_id`
as the browser pixel. It carries what forwarding needs and nothing more: no token, no email.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from reservo.platform.events.envelope import Event, register

BrowserEventKind = Literal["page_view", "view_content", "initiate_checkout"]


@register
class BrowserEventCollected(Event):
    TYPE = "analytics.browser_event"
    tenant_id: uuid.UUID
    event_id: str  # shared with the browser pixel (TikTok deduplicates on it)
    kind: BrowserEventKind
    occurred_at: datetime
    offering_id: uuid.UUID | None = None
    booking_id: uuid.UUID | None = None  # initiate_checkout after the hold: links later server events
    user_id: uuid.UUID | None = None  # the signed-in visitor, if any (for user.erased)
    url: str | None = None
    referrer: str | None = None
    ttclid: str | None = None
    ip: str | None = None
    user_agent: str | None = None

    @property
    def key(self) -> str:
        return str(self.booking_id or self.tenant_id)
