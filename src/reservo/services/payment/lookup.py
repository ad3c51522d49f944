"""Asking the booking service about a booking payment has not replicated yet (read-your-writes).

A client that books and pays at once may reach payment before `booking.created` does. Payment then asks
booking's own API (`GET /api/v1/bookings/{id}`) with the caller's own credentials, so booking decides
who may see it, and fills its replica from the answer. `BookingLookup` is the seam: a platform-wide
owner lookup can replace `HttpBookingLookup` without touching the service.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx
import structlog

from reservo.platform.http.problems import DependencyUnavailable

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class BookingFacts:
    id: uuid.UUID
    tenant_id: uuid.UUID
    status: str
    amount: int
    currency: str
    customer_user_id: uuid.UUID | None
    customer_email: str
    description: str
    expires_at: datetime
    version: int


class BookingLookup(Protocol):
    async def find(self, booking_id: uuid.UUID, credentials: dict[str, str]) -> BookingFacts | None:
        """The booking if the caller may see it, else None; DependencyUnavailable if booking is down."""


class HttpBookingLookup:
    """Booking's API over HTTP: in another process (`base_url`), or this app itself (`transport`)."""

    def __init__(self, base_url: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._base = base_url.rstrip("/")
        self._transport = transport

    async def find(self, booking_id: uuid.UUID, credentials: dict[str, str]) -> BookingFacts | None:
        try:
            async with httpx.AsyncClient(transport=self._transport, timeout=5.0) as client:
                response = await client.get(f"{self._base}/api/v1/bookings/{booking_id}", headers=credentials)
        except httpx.HTTPError as exc:
            log.warning("payment.booking_lookup_failed", booking_id=str(booking_id), error=repr(exc))
            raise DependencyUnavailable("The booking service did not answer") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DependencyUnavailable(f"The booking service answered {response.status_code}")
        b = response.json()
        return BookingFacts(
            id=uuid.UUID(b["id"]),
            tenant_id=uuid.UUID(b["tenant_id"]),
            status=b["status"],
            amount=b["total"]["amount"],
            currency=b["total"]["currency"],
            customer_user_id=uuid.UUID(b["customer_user_id"]) if b.get("customer_user_id") else None,
            customer_email=b["customer"]["email"],
            description=b["offering_name"],
            expires_at=datetime.fromisoformat(b["expires_at"]),
            version=b["version"],
        )
