"""A service's own settings (services/<name>/settings.py), read from RESERVO_<SERVICE>_... (D10-3).

A service declares a pydantic-settings class and names it in its ServiceSpec (`settings=`); the
runtime reads and validates it at start-up for every service it runs, and its code reads it with
`ctx.settings_of(TheClass)`. Deriving from `ServiceSettings` is optional: a plain `BaseSettings`
with `env_prefix="RESERVO_<SERVICE>_"` works the same; the base only adds `required_in_production`
(secrets whose absence must stop a production start-up, named by their variable).
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from reservo.platform.config import Settings


class SettingsError(Exception):
    """A service's settings are invalid or miss a production secret; the message names the variables."""


def service_settings_config(service: str) -> SettingsConfigDict:
    """The model_config of a service's settings class: prefix RESERVO_<SERVICE>_, the .env file too.
    (RESERVO_<SERVICE>_DATABASE_URL and RESERVO_<SERVICE>_URL are the platform's: no field of that name.)"""
    return SettingsConfigDict(env_prefix=f"RESERVO_{service.upper()}_", env_file=".env", extra="ignore")


class ServiceSettings(BaseSettings):
    """Optional base: subclasses set `model_config = service_settings_config("<service>")`."""

    def required_in_production(self) -> list[str]:
        """Names of fields that must be set in production given the others (e.g. a client secret once
        its client id is set). Empty by default."""
        return []


def env_name(kind: type[BaseSettings], field: str) -> str:
    prefix = str(kind.model_config.get("env_prefix") or "")
    return f"{prefix}{field}".upper()


def load_service_settings(service: str, kind: type[BaseSettings], platform: Settings) -> BaseSettings:
    """Read `kind` from the environment; raise SettingsError naming every variable that is wrong, or
    (in production) missing."""
    try:
        value = kind()
    except ValidationError as exc:
        names = ", ".join(
            sorted({env_name(kind, str(e["loc"][0])) if e["loc"] else kind.__name__ for e in exc.errors()})
        )
        raise SettingsError(f"service {service}: invalid setting {names}: {exc}") from exc
    if platform.environment == "production" and isinstance(value, ServiceSettings):
        missing = [env_name(kind, f) for f in value.required_in_production()]
        if missing:
            raise SettingsError(
                f"service {service}: {', '.join(missing)} not set, but the settings it completes are; "
                "a production deployment does not start half configured"
            )
    return value
