"""A receipt's PDF: a Jinja2 HTML template printed by WeasyPrint with the fonts this package ships.

Amounts and dates are formatted with Babel for the tenant's locale; times are shown in the tenant's
time zone. Prices include tax (booking's `tax_rate_bp`), so the tax is the part of the gross amount.
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_percent, get_currency_precision
from jinja2 import Environment, PackageLoader, select_autoescape

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

FONTS = Path(str(files("reservo.services.receipt") / "fonts"))
STYLESHEET = files("reservo.services.receipt") / "templates" / "receipt.css"

_env = Environment(
    loader=PackageLoader("reservo.services.receipt", "templates"),
    autoescape=select_autoescape(["html"]),
)

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "receipt": "Receipt",
        "credit_note": "Credit note",
        "refers_to": "Refers to receipt",
        "tax_id": "Tax ID",
        "customer": "Customer",
        "date": "Date",
        "booking": "Booking",
        "item": "Item",
        "when": "When",
        "venue": "Venue",
        "quantity": "Qty",
        "unit_price": "Unit price",
        "tax": "Tax",
        "amount": "Amount",
        "net": "Net",
        "tax_included": "Tax included",
        "total": "Total",
        "paid_with": "Paid with",
        "refunded_to": "Refunded to",
        "reason": "Reason",
        "refund_of": "Refund",
    },
    "de": {
        "receipt": "Quittung",
        "credit_note": "Gutschrift",
        "refers_to": "Zu Quittung",
        "tax_id": "USt-IdNr.",
        "customer": "Kunde",
        "date": "Datum",
        "booking": "Buchung",
        "item": "Leistung",
        "when": "Termin",
        "venue": "Ort",
        "quantity": "Menge",
        "unit_price": "Einzelpreis",
        "tax": "USt.",
        "amount": "Betrag",
        "net": "Netto",
        "tax_included": "Enthaltene USt.",
        "total": "Gesamt",
        "paid_with": "Bezahlt mit",
        "refunded_to": "Erstattet auf",
        "reason": "Grund",
        "refund_of": "Erstattung",
    },
}


def locale_of(tag: str | None) -> Locale:
    try:
        return Locale.parse((tag or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def when(moment: datetime, zone: ZoneInfo, loc: Locale) -> str:
    local = moment.astimezone(zone)
    return f"{format_date(local, 'medium', locale=loc)} {format_time(local, 'short', locale=loc)}"


def money(amount: int, currency: str, locale: Locale) -> str:
    return str(format_currency(amount / 10 ** get_currency_precision(currency), currency, locale=locale))


def tax_part(gross: int, rate_bp: int) -> int:
    """The tax inside a gross amount, rounded half up to the minor unit."""
    return gross - (gross * 10_000 * 2 + (10_000 + rate_bp)) // ((10_000 + rate_bp) * 2)


@dataclass(frozen=True, slots=True)
class Document:
    """Everything printed on one receipt or credit note, already read from the database."""

    kind: str
    number: str
    refers_to: str | None
    issued_at: datetime
    paid_at: datetime
    booking_id: str
    tenant_name: str
    tenant_address: str | None
    tenant_tax_id: str | None
    timezone: str
    locale: str | None
    color: str | None
    customer_name: str
    customer_email: str
    offering_name: str
    variant_name: str | None
    starts_at: datetime | None
    quantity: int
    unit_amount: int
    line_amount: int  # gross: the booking total, or the refunded amount
    tax_rate_bp: int
    currency: str
    method: str | None
    provider: str
    provider_reference: str | None
    reason: str | None
    venue: str | None = None  # the location's address (D14-L3)
    venue_map_url: str | None = None


def context(doc: Document) -> dict[str, Any]:
    loc = locale_of(doc.locale)
    lang = loc.language if loc.language in LABELS else "en"
    t = dict(LABELS[lang], title=LABELS[lang][doc.kind])
    zone = ZoneInfo(doc.timezone)
    tax = tax_part(doc.line_amount, doc.tax_rate_bp)
    name = doc.offering_name if doc.kind == "receipt" else f"{t['refund_of']}: {doc.offering_name}"
    line = {
        "name": name,
        "variant": doc.variant_name,
        "when": doc.starts_at and when(doc.starts_at, zone, loc),
        "venue": doc.venue,
        "venue_map_url": doc.venue_map_url,
        "quantity": doc.quantity if doc.kind == "receipt" else 1,
        "unit_price": money(doc.unit_amount if doc.kind == "receipt" else doc.line_amount, doc.currency, loc),
        "tax_rate": format_percent(doc.tax_rate_bp / 10_000, "#,##0.##%", locale=loc),
        "tax_amount": money(tax, doc.currency, loc),
        "amount": money(doc.line_amount, doc.currency, loc),
    }
    return {
        "lang": lang,
        "t": t,
        "color": doc.color or "#1f2937",
        "number": doc.number,
        "refers_to": doc.refers_to,
        "tenant": {"name": doc.tenant_name, "address": doc.tenant_address, "tax_id": doc.tenant_tax_id},
        "customer": {"name": doc.customer_name, "email": doc.customer_email},
        "issued": format_date(doc.issued_at.astimezone(zone), "long", locale=loc),
        "booking_id": doc.booking_id,
        "lines": [line],
        "net": money(doc.line_amount - tax, doc.currency, loc),
        "tax": money(tax, doc.currency, loc),
        "total": money(doc.line_amount, doc.currency, loc),
        "method": doc.method or doc.provider,
        "provider": doc.provider,
        "provider_reference": doc.provider_reference,
        "paid_at": when(doc.paid_at, zone, loc),
        "reason": doc.reason,
    }


def render_html(doc: Document) -> str:
    return _env.get_template("receipt.html").render(**context(doc))


class _Printer:
    """The stylesheet and its fonts, parsed once per process and shared by every receipt: loading the
    three fonts into a fresh font configuration for each document was about a third of a receipt's
    CPU. The @font-face rules live only in this stylesheet, so documents add no fonts to the shared
    configuration; a lock keeps one document at a time on it (WeasyPrint's font objects are not
    documented as thread-safe, and with the GIL two threads would not print faster anyway)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shared: tuple[CSS, FontConfiguration] | None = None
        # Let go of the fonts while WeasyPrint's libraries are still loaded: at interpreter exit
        # their bindings go first, and the font configuration's finaliser would fail on them.
        atexit.register(self._release)

    def _release(self) -> None:
        with self._lock:
            self._shared = None

    def print(self, html: str) -> bytes:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        with self._lock:
            if self._shared is None:
                fonts = FontConfiguration()
                css = CSS(string=STYLESHEET.read_text(), base_url=f"{FONTS.as_uri()}/", font_config=fonts)
                self._shared = (css, fonts)
            css, fonts = self._shared
            document = HTML(string=html, base_url=str(FONTS))
            return bytes(document.write_pdf(stylesheets=[css], font_config=fonts))


_printer = _Printer()


def render_pdf(doc: Document) -> bytes:
    """Blocking (a few hundredths of a second): call it in a worker thread."""
    return _printer.print(render_html(doc))
