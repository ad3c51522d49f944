"""Events of the notification service."""

from __future__ import annotations

import uuid

from reservo.platform.events.envelope import Event, register


@register
class EmailUndeliverable(Event):
    """An email failed every attempt of the send job. The notification consumer tries it once more and,
    failing, dead-letters this event: an admin replays it (`reservo dlq replay notification`) once the
    mail server is back, and the email goes out exactly once. Carries no address or content."""

    TYPE = "notification.email.undeliverable"
    id: uuid.UUID  # the email
    tenant_id: uuid.UUID
    template: str
    attempts: int
    last_error: str
