"""Settings the notification service owns (prefix RESERVO_NOTIFICATION_): the sender, SMTP, retries,
Twilio SMS, reminders. The notification service is the only one that sends email."""

from __future__ import annotations

from pydantic import Field, SecretStr

from reservo.platform.service_settings import ServiceSettings, service_settings_config


class NotificationSettings(ServiceSettings):
    model_config = service_settings_config("notification")

    mail_from: str = "Reservo <no-reply@reservo.localhost>"
    # Email delivery: SMTP when a host is set, else .eml files in <data_dir>/outbox.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_timeout_seconds: float = 30.0
    # A failing email is retried after this many seconds, doubling, up to this many attempts in all.
    email_retry_seconds: float = 30.0
    email_max_attempts: int = Field(default=6, ge=1)
    # SMS reminders through Twilio's REST API, when an account is set.
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from: str | None = None
    twilio_api_url: str = "https://api.twilio.com"
    reminder_hours: int = Field(default=24, ge=1, description="reminders go out this long before start")
    hold_warning_minutes: int = Field(default=5, ge=1, description="warn this long before a hold expires")

    def required_in_production(self) -> list[str]:
        missing = []
        if self.smtp_username and not self.smtp_password:
            missing.append("smtp_password")
        if self.twilio_account_sid:
            missing += [f for f in ("twilio_auth_token", "twilio_from") if not getattr(self, f)]
        return missing
