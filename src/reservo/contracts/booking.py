"""The booking's status as every service names it: booking's API and events, payment, receipt and
notification read these, so no service keeps its own copy of the list or of its groups."""

from __future__ import annotations

from typing import Literal, get_args

BookingStatus = Literal["pending", "confirmed", "cancelled", "expired", "completed", "no_show"]
BOOKING_STATUSES: tuple[BookingStatus, ...] = get_args(BookingStatus)

# Statuses whose booking occupies capacity (a pending hold does, until it expires).
HOLDS_CAPACITY: frozenset[BookingStatus] = frozenset({"pending", "confirmed", "completed", "no_show"})
# Statuses whose money the tenant keeps: revenue in the statistics; a second payment is refused.
EARNING: frozenset[BookingStatus] = frozenset({"confirmed", "completed"})
# Statuses reached only after a payment (or a staff confirmation): a redelivered payment changes nothing.
PAID: frozenset[BookingStatus] = frozenset({"confirmed", "completed", "no_show"})
