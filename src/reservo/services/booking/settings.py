"""Settings the booking service owns (prefix RESERVO_BOOKING_)."""

from __future__ import annotations

from pydantic import Field

from reservo.platform.service_settings import ServiceSettings, service_settings_config


class BookingSettings(ServiceSettings):
    model_config = service_settings_config("booking")

    # Default length of an unpaid hold; an offering may set its own.
    hold_minutes: int = Field(default=15, ge=1)
    # Unpaid holds (issue 9 item 5): at most this many at once per customer email address in a
    # tenant, and this many new ones per client (address, or account when signed in) per hold length.
    max_holds_per_email: int = Field(default=3, ge=1)
    max_holds_per_client: int = Field(default=5, ge=1)
    # Availability keeps the claims it read while no generation moved (D15-66), at most this long:
    # the bound on what a writer that died between its commit and moving the generations can hide.
    claims_max_age_seconds: float = Field(default=1.0, gt=0)
