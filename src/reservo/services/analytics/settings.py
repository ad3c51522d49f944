"""Settings the analytics service owns (prefix RESERVO_ANALYTICS_); the platform knows none of them."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class AnalyticsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESERVO_ANALYTICS_", env_file=".env", extra="ignore")

    # The collect endpoint is public: at most this many events per client address and tenant.
    collect_limit: int = Field(default=120, ge=1)
    collect_window_seconds: float = Field(default=60.0, gt=0)
    # A tenant that configured nothing keeps raw events this long; aggregates are kept.
    default_retention_days: int = Field(default=90, ge=1, le=3650)
    purge_every_seconds: float = Field(default=3600.0, gt=0)
    max_report_days: int = Field(default=366, ge=1)
