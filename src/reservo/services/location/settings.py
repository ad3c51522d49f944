"""Settings the location service owns (prefix RESERVO_LOCATION_); the platform knows none of them."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class LocationSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESERVO_LOCATION_", env_file=".env", extra="ignore")

    # Google Maps Platform key (Geocoding API and Places API (New) enabled). Empty: addresses and
    # coordinates are entered by hand; nothing calls Google.
    google_api_key: SecretStr | None = None
    geocoding_api_base: str = "https://maps.googleapis.com"
    places_api_base: str = "https://places.googleapis.com"
    language: str = "en"
    cache_ttl_seconds: float = Field(
        default=86_400, gt=0, description="geocoding answers are reused this long"
    )
    timeout_seconds: float = Field(default=5.0, gt=0)
    # After OVER_QUERY_LIMIT / RESOURCE_EXHAUSTED nothing calls Google for this long, doubling on each
    # repeat up to the maximum; callers get 503 with Retry-After meanwhile.
    quota_backoff_seconds: float = Field(default=30.0, gt=0)
    quota_backoff_max_seconds: float = Field(default=900.0, gt=0)
