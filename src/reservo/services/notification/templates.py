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
from markupsafe import escape

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
    text = str(value)
    if not text.isprintable():  # printable excludes every category C character (and more), so
        text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text)
    text = " ".join(text.split())
    if "://" in text:
        text = _SCHEME.sub(r"\1[:]//", text)
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
    # Words someone outside the platform chose (customer, tenant, provider); the rest is formatted here.
    bounded = {k: plain(v, OUTSIDE_TEXT[k]) if k in OUTSIDE_TEXT else v for k, v in values.items()}
    filled = {**bounded, "tenant": plain(brand.tenant, 100)}
    subject = message.subject.format(**filled)
    paragraphs = [p.format(**filled) for p in message.paragraphs]
    shape = (template, lang, brand, tuple(bool(p) for p in paragraphs), bool(link), bool(unsubscribe_url))
    layout = _layout(*shape)
    if layout is None:
        return _render(template, lang, brand, subject, paragraphs, link, unsubscribe_url)
    slots = [subject, link or "", unsubscribe_url or "", *paragraphs]
    return Rendered(subject=subject, text=layout[0].fill(slots, str), html=layout[1].fill(slots, escape))


def _render(
    template: str,
    lang: str,
    brand: Branding,
    subject: str,
    paragraphs: list[str],
    link: str | None,
    unsubscribe_url: str | None,
) -> Rendered:
    """The layouts through Jinja (`_layout` keeps what this gives with the email's own values in slots)."""
    words = WORDS[lang]
    context: dict[str, Any] = {
        "lang": lang,
        "subject": subject,
        "paragraphs": paragraphs,
        "button": CATALOGUES[lang][template].button,
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


# A slot of a kept layout: the email's subject (0), link (1), unsubscribe URL (2) or paragraph (3 + i),
# rendered into the layout as this mark (private-use characters: escaping leaves them as they are).
_MARK = re.compile("\ue000([0-9]+)\ue001")


def _mark(slot: int) -> str:
    return f"\ue000{slot}\ue001"


@dataclass(frozen=True, slots=True)
class _Filled:
    """A rendered layout cut at its slots: `parts[0] + slot + parts[1] + ...`."""

    parts: tuple[str, ...]
    slots: tuple[int, ...]

    def fill(self, values: list[str], convert: Any) -> str:
        """`convert` is what Jinja does to a value there: `str` (text) or markupsafe's `escape` (HTML,
        autoescaped), so the result is what `_render` gives for the same values."""
        out = [self.parts[0]]
        for slot, part in zip(self.slots, self.parts[1:], strict=True):
            out.append(str(convert(values[slot])))
            out.append(part)
        return "".join(out)


def _cut(rendered: str) -> _Filled:
    pieces = _MARK.split(rendered)
    return _Filled(tuple(pieces[0::2]), tuple(int(slot) for slot in pieces[1::2]))


@lru_cache(maxsize=1024)
def _layout(
    template: str, lang: str, brand: Branding, shape: tuple[bool, ...], link: bool, unsubscribe: bool
) -> tuple[_Filled, _Filled] | None:
    """Both layouts rendered once per template, language, branding and which parts the email has
    (its non-empty paragraphs, a link, an unsubscribe URL), with marks where its own values go: an
    email then fills in its subject, paragraphs and links instead of running Jinja. None (render
    each time) when the branding itself contains a mark's characters."""
    if any("\ue000" in v or "\ue001" in v for v in (brand.tenant, brand.color, brand.logo_url) if v):
        return None
    rendered = _render(
        template,
        lang,
        brand,
        _mark(0),
        [_mark(3 + i) if present else "" for i, present in enumerate(shape)],
        _mark(1) if link else None,
        _mark(2) if unsubscribe else None,
    )
    return _cut(rendered.text), _cut(rendered.html)
