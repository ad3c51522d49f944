"""Asking the booking service about a booking payment has not replicated yet (read-your-writes).

A client that books and pays at once may reach payment before `booking.created` does. Payment then asks
booking's own API (`GET /api/v1/bookings/{id}`) with the caller's own credentials, so booking decides
who may see it, and fills its replica from the answer (read-your-writes, D9-1).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from reservo.contracts.booking import BookingStatus
from reservo.platform.owner import Owners


@dataclass(frozen=True, slots=True)
class BookingFacts:
    id: uuid.UUID
    tenant_id: uuid.UUID
    status: BookingStatus
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


class OwnerBookingLookup:
    """Booking's own API, through the platform's owner client (platform/owner.py): this very app in the
    all-in-one shape, `RESERVO_BOOKING_URL` (or the service URL template) when services run apart."""

    def __init__(self, owners: Owners) -> None:
        self._owners = owners

    async def find(self, booking_id: uuid.UUID, credentials: dict[str, str]) -> BookingFacts | None:
        b = await self._owners.get_json("booking", f"/api/v1/bookings/{booking_id}", headers=credentials)
        if b is None:
            return None
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
