"""Settings the integration service owns (prefix RESERVO_INTEGRATION_); the platform knows none of them."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class IntegrationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESERVO_INTEGRATION_", env_file=".env", extra="ignore")

    # Fernet key (urlsafe base64 of 32 bytes) that encrypts tenants' TikTok access tokens at rest.
    # Empty: derived from RESERVO_SECRET_KEY (as the payment service does for its credentials).
    encryption_key: SecretStr | None = None
    tiktok_api_base: str = "https://business-api.tiktok.com"
    tiktok_timeout_seconds: float = Field(default=10.0, gt=0)
    # A booking's conversions wait this long before their first call, so that the storefront's
    # initiate_checkout (carrying the visitor's consent and click id) can attribute them first.
    attribution_wait_seconds: float = Field(default=30.0, ge=0)
    deliver_every_seconds: float = Field(default=5.0, gt=0)
    deliver_batch: int = Field(default=100, ge=1)
    # Retries: backoff_base * 2^(attempt-1), capped; a delivery is given up after max_attempts.
    max_attempts: int = Field(default=8, ge=1)
    backoff_base_seconds: float = Field(default=5.0, gt=0)
    backoff_max_seconds: float = Field(default=3600.0, gt=0)
    # Circuit breaker per tenant: after this many failures in a row, no call for cooldown seconds.
    breaker_threshold: int = Field(default=5, ge=1)
    breaker_cooldown_seconds: float = Field(default=300.0, gt=0)
