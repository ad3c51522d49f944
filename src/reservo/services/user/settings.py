"""Settings the user service owns (prefix RESERVO_USER_): passwords, one-time links, refresh tokens,
sign-in rate limits, Google and Apple sign-in."""

from __future__ import annotations

from pydantic import SecretStr

from reservo.platform.service_settings import ServiceSettings, service_settings_config


class UserSettings(ServiceSettings):
    model_config = service_settings_config("user")

    # Passwords (argon2id) and one-time links.
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65_536
    email_token_hours: int = 48
    password_reset_minutes: int = 60
    invitation_days: int = 7
    refresh_token_days: int = 30
    # Rate limits: attempts per window (seconds), per client IP and per account.
    auth_ip_limit: int = 20
    auth_ip_window: float = 300.0
    auth_account_limit: int = 10
    auth_account_window: float = 900.0

    # Social sign-in: a provider is offered only when its client id (and secret/key) is set; in
    # production a client id without the rest refuses to start.
    google_client_id: str | None = None
    google_client_secret: SecretStr | None = None
    google_discovery_url: str = "https://accounts.google.com/.well-known/openid-configuration"
    apple_client_id: str | None = None
    apple_team_id: str | None = None
    apple_key_id: str | None = None
    apple_private_key: SecretStr | None = None  # the .p8 PEM text
    apple_issuer: str = "https://appleid.apple.com"
    apple_authorize_url: str | None = None  # default <issuer>/auth/authorize
    apple_token_url: str | None = None  # default <issuer>/auth/token
    apple_jwks_url: str | None = None  # default <issuer>/auth/keys
    oauth_state_minutes: int = 10

    def required_in_production(self) -> list[str]:
        missing = []
        if self.google_client_id and not self.google_client_secret:
            missing.append("google_client_secret")
        if self.apple_client_id:
            needed = ("apple_team_id", "apple_key_id", "apple_private_key")
            missing += [f for f in needed if not getattr(self, f)]
        return missing
