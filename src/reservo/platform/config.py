"""The platform's settings from the environment (prefix RESERVO_); one database URL per service.

A service's own settings live in services/<name>/settings.py, read from RESERVO_<SERVICE>_... (D10-3)."""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, IPvAnyNetwork, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-insecure-secret"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESERVO_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("data")
    # A URL with "{service}" in it gives every service its own database on one server,
    # e.g. postgresql+asyncpg://reservo@db/reservo_{service}. RESERVO_<SERVICE>_DATABASE_URL wins over it.
    database_url: str | None = None
    bus: Literal["inprocess", "kafka"] = "inprocess"
    kafka_bootstrap: str = "127.0.0.1:9092"
    # Prepended to every topic and consumer group name: one cluster can host several deployments.
    kafka_topic_prefix: str = ""
    kafka_partitions: int = Field(default=6, ge=1, description="partitions of topics created at start-up")
    kafka_replication: int = Field(default=1, ge=1)
    redis_url: str | None = None
    # Prepended to every Redis key (rate limits, idempotency keys, cache entries).
    redis_prefix: str = "reservo:"
    cache_ttl_seconds: float = Field(default=300.0, gt=0, description="upper bound on cached staleness")
    # A general limit per client IP on the whole API, "<requests>/<seconds>" (e.g. 100/60); off if empty.
    rate_limit: str | None = None
    # Proxies whose X-Forwarded-For / X-Real-IP name the client, as CIDRs, comma-separated
    # (e.g. "10.0.0.0/8,127.0.0.1/32"). Default none: not even loopback is trusted (D9b-4).
    trusted_proxies: Annotated[list[IPvAnyNetwork], NoDecode] = []
    # Browser origins allowed to call the API (CORS), comma-separated; none by default.
    cors_origins: Annotated[list[str], NoDecode] = []
    log_level: str = "INFO"
    log_json: bool = True

    max_body_bytes: int = Field(default=1_048_576, description="larger request bodies get 413")
    consumer_max_attempts: int = 5
    consumer_backoff_seconds: float = 0.2
    relay_poll_seconds: float = 1.0
    # Batch the outbox commits of a burst: the relay waits this long after being woken (see D11).
    relay_linger_seconds: float = 0.01
    # Relayed outbox rows and inbox rows are kept this long, then pruned; keep it above how long the
    # bus may redeliver (Kafka retention). Housekeeping (pruning, outbox/dead-letter gauges) interval.
    event_retention_days: float = Field(default=14, gt=0)
    housekeeping_seconds: float = Field(default=60, gt=0)
    # Derives every emailed link and guest booking token (platform/auth/links.py): a production
    # deployment must set its own (refused at start-up otherwise), shared by every service.
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    # Public URL of the app, for links in emails and OAuth redirect URIs.
    public_url: str = "http://localhost:8000"
    # Where a service reaches another one (platform/owner.py) in the distributed shape;
    # RESERVO_<SERVICE>_URL wins over it. {service} and {port} (from routes.toml) are filled in.
    service_url_template: str = "http://{service}:{port}"

    # Access tokens (platform/auth): Ed25519 keys in a directory, or the user service's JWKS.
    jwt_keys_dir: Path | None = None  # default <data_dir>/keys
    jwks_url: str | None = None  # services running apart from the user service verify with this
    jwks_min_refresh_seconds: float = 30.0  # an unknown kid refetches the JWKS at most this often
    jwt_issuer: str = "reservo"
    jwt_audience: str = "reservo-api"
    jwt_leeway_seconds: int = 30
    access_token_minutes: int = 15

    @field_validator("trusted_proxies", "cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: list[str]) -> list[str]:
        for origin in value:
            if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
                raise ValueError(
                    f"RESERVO_CORS_ORIGINS: '{origin}' is not an origin like https://app.example"
                )
        return value

    # Object storage (receipt PDFs, read by the mailer for attachments): a local folder, or S3 when a
    # bucket is set. The endpoint URL serves S3-compatible stores (MinIO, moto); credentials may also
    # come from boto3's own chain (instance role) when left empty.
    storage_dir: Path | None = None  # default <data_dir>/files
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_format(cls, value: str | None) -> str | None:
        if not value:
            return None
        count, _, seconds = value.partition("/")
        try:
            ok = int(count) >= 1 and float(seconds) > 0
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"RESERVO_RATE_LIMIT must look like 100/60 (requests/seconds), got {value!r}")
        return value

    @model_validator(mode="after")
    def _production_has_its_own_secret_key(self) -> Settings:
        if self.environment == "production" and self.secret_key.get_secret_value() in (
            "",
            DEFAULT_SECRET_KEY,
        ):
            raise ValueError(
                "RESERVO_SECRET_KEY is not set (or still the development default): every emailed link "
                "and guest booking token is derived from it, so a production deployment must set its own "
                "long random value, the same in every service"
            )
        return self

    def database_url_for(self, service: str) -> str:
        explicit = os.environ.get(f"RESERVO_{service.upper()}_DATABASE_URL")
        if explicit:
            return explicit
        if self.database_url:
            return self.database_url.replace("{service}", service)
        return f"sqlite+aiosqlite:///{self.data_dir / (service + '.db')}"

    def service_url_for(self, service: str, port: int) -> str:
        explicit = os.environ.get(f"RESERVO_{service.upper()}_URL")
        return explicit or self.service_url_template.format(service=service, port=port)

    @cached_property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def files_dir(self) -> Path:
        return self.storage_dir or self.data_dir / "files"

    @property
    def keys_dir(self) -> Path:
        return self.jwt_keys_dir or self.data_dir / "keys"

    @property
    def embedded(self) -> bool:
        return self.bus == "inprocess"
