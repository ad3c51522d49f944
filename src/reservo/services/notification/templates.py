"""Email templates: account emails as plain-text Jinja2 files; booking emails as localized messages
(messages.py) poured into one branded layout, HTML with a plain-text part.

Rule for text someone outside the tenant chose (a guest's name, anything from a request body): it goes
through `plain`, which makes it one inert, bounded line (in the account templates as
`{{ name | plain(60) }}`; `compose` does it for every value). The HTML layout is autoescaped besides.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
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


_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*)://")


def plain(value: object, limit: int = 100) -> str:
    """One line of at most `limit` characters: control characters and line breaks become spaces,
    whitespace runs collapse, and `scheme://` is defused so a name cannot become a link."""
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in str(value))
    text = _SCHEME.sub(r"\1[:]//", " ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_env.filters["plain"] = plain
# Values of composed emails that come from outside (name: the customer; offering: the tenant; reason:
# a provider or whoever cancelled), with the length each may take in an email.
OUTSIDE_TEXT = {
    "name": 60,
    "offering": 100,
    "variant": 100,
    "reason": 200,
    "customer_email": 320,
    "email": 320,
    "invited_by": 100,
    "tenant_name": 100,
}


# Pure functions of their arguments, remembered: a burst of bookings of one session formats the same
# start, price and hold end over and over (babel's formatting was a tenth of a booking email's CPU).
@lru_cache(maxsize=4096)
def money(amount: int, currency: str, locale: str | None = None) -> str:
    loc = babel_locale(locale)
    return str(format_currency(amount / 10 ** get_currency_precision(currency), currency, locale=loc))


@lru_cache(maxsize=64)
def babel_locale(tag: str | None) -> Locale:
    try:
        return Locale.parse((tag or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=4096)
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
    # Words someone outside the platform chose (customer, tenant, provider); the rest is formatted here.
    bounded = {k: plain(v, OUTSIDE_TEXT[k]) if k in OUTSIDE_TEXT else v for k, v in values.items()}
    filled = {**bounded, "tenant": plain(brand.tenant, 100)}
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
