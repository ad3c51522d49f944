"""Email templates: account emails as plain-text Jinja2 files; booking emails as localized messages
(messages.py) poured into one branded layout, HTML with a plain-text part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_currency, get_currency_precision
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from reservo.services.notification.messages import CATALOGUES, WORDS, language

_env = Environment(
    loader=PackageLoader("reservo.services.notification", "templates"),
    undefined=StrictUndefined,
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


def render(template: str, **context: Any) -> str:
    return _env.get_template(f"{template}.txt").render(**context)


def money(amount: int, currency: str, locale: str | None = None) -> str:
    loc = babel_locale(locale)
    return str(format_currency(amount / 10 ** get_currency_precision(currency), currency, locale=loc))


def babel_locale(tag: str | None) -> Locale:
    try:
        return Locale.parse((tag or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def local_time(moment: datetime, timezone: str, locale: str | None) -> str:
    """A moment as the reader says it, in the tenant's zone: "31.12.2026, 20:00 (Europe/Berlin)"."""
    loc = babel_locale(locale)
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{format_date(local, 'medium', locale=loc)} {format_time(local, 'short', locale=loc)}"


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Branding:
    tenant: str
    locale: str | None
    color: str | None = None
    logo_url: str | None = None


def compose(
    template: str,
    brand: Branding,
    values: dict[str, Any],
    *,
    link: str | None = None,
    unsubscribe_url: str | None = None,
) -> Rendered:
    lang = language(brand.locale)
    message = CATALOGUES[lang][template]
    words = WORDS[lang]
    filled = {**values, "tenant": brand.tenant}
    subject = message.subject.format(**filled)
    context: dict[str, Any] = {
        "lang": lang,
        "subject": subject,
        "paragraphs": [p.format(**filled) for p in message.paragraphs],
        "button": message.button,
        "link": link,
        "tenant": brand.tenant,
        "color": brand.color or "#1f2937",
        "logo_url": brand.logo_url,
        "sent_by": words["sent_by"].format(tenant=brand.tenant),
        "unsubscribe": words["unsubscribe"].format(tenant=brand.tenant),
        "unsubscribe_url": unsubscribe_url,
    }
    return Rendered(
        subject=subject,
        text=_env.get_template("layout.txt").render(**context),
        html=_env.get_template("layout.html").render(**context),
    )
