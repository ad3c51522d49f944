"""Settings the payment service owns (prefix RESERVO_PAYMENT_); the platform knows none of them."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class PaymentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESERVO_PAYMENT_", env_file=".env", extra="ignore")

    # Fernet key (urlsafe base64 of 32 bytes) that encrypts tenants' provider credentials at rest.
    # Empty: derived from RESERVO_SECRET_KEY (fine for one machine; set it in production so the
    # two secrets can rotate apart).
    encryption_key: SecretStr | None = None
    stripe_api_base: str = "https://api.stripe.com"
    paypal_api_base: str = "https://api-m.paypal.com"
    # PayPal webhook certificates are fetched only from URLs starting with one of these.
    paypal_cert_url_prefixes: tuple[str, ...] = (
        "https://api.paypal.com/",
        "https://api.sandbox.paypal.com/",
        "https://api-m.paypal.com/",
        "https://api-m.sandbox.paypal.com/",
    )
    provider_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_tolerance_seconds: int = Field(default=300, gt=0)
    # The booking service, asked when a payment names a booking this service has not replicated yet.
    # Empty: booking runs in this process and is asked through the app itself.
    booking_url: str | None = None
    reconcile_after_seconds: int = Field(default=120, gt=0, description="age of a `processing` payment")
    return_url: str | None = None  # where PayPal sends the buyer back; default {public_url}/
