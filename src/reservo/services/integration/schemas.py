"""Request and response bodies of the integration API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

DeliveryStatus = Literal["pending", "sending", "delivered", "failed"]


class TikTokSettingsIn(BaseModel):
    pixel_code: str = Field(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    access_token: str | None = Field(
        default=None, min_length=8, max_length=512, description="write-only; omit to keep the stored one"
    )
    test_event_code: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    enabled: bool = True


class Breaker(BaseModel):
    state: Literal["closed", "open", "half_open"]
    failures: int
    open_until: datetime | None


class TikTokSettingsOut(BaseModel):
    pixel_code: str
    test_event_code: str | None
    enabled: bool
    access_token_hint: str = Field(description="the last four characters of the stored token")
    breaker: Breaker


class DeliveryRead(BaseModel):
    id: uuid.UUID
    event: str
    event_id: str
    event_time: datetime
    booking_id: uuid.UUID | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    log: list[dict[str, Any]]
    created_at: datetime
    delivered_at: datetime | None
