"""Booking emails are filled into a layout rendered once per template, language and branding (D15-55):
every email, in both languages, with values that need escaping, empty paragraphs, no link, an
unsubscribe link and branding that contains the marks themselves, reads byte for byte as the
Jinja rendering of the same values."""

from __future__ import annotations

import itertools
import string

import pytest

from reservo.services.notification.messages import CATALOGUES
from reservo.services.notification.templates import OUTSIDE_TEXT, Branding, _render, compose, plain

TRICKY = [
    "Zoë <b>Ångström</b> & \"friends\" 'n' co",
    "",
    "\ue0003\ue001 {name} %s \\ ",
    "東京 مرحبا\u200b\t\nline",
    "https://evil.example/x?a=1&b=2",
]
BRANDS = [
    Branding(
        tenant="Jazz & Blues <Club>", locale="en", color="#ff0000", logo_url="https://x.example/l.png?a=1&b"
    ),
    Branding(tenant='Café "Müller"', locale="de-DE"),
    Branding(tenant="Mark \ue0001\ue001 Inc", locale=None, color=None),
]


def _fields(template: str) -> set[str]:
    names: set[str] = set()
    for lang in CATALOGUES:
        message = CATALOGUES[lang][template]
        for text in (message.subject, *message.paragraphs):
            names |= {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return names - {"tenant"}


def _jinja(
    template: str, brand: Branding, values: dict[str, str], link: str | None, unsubscribe: str | None
) -> tuple[str, str, str]:
    """What compose gave before layouts were kept: every email through Jinja."""
    from reservo.services.notification.messages import language

    lang = language(brand.locale)
    message = CATALOGUES[lang][template]
    bounded = {k: plain(v, OUTSIDE_TEXT[k]) if k in OUTSIDE_TEXT else v for k, v in values.items()}
    filled = {**bounded, "tenant": plain(brand.tenant, 100)}
    subject = message.subject.format(**filled)
    rendered = _render(
        template, lang, brand, subject, [p.format(**filled) for p in message.paragraphs], link, unsubscribe
    )
    return rendered.subject, rendered.text, rendered.html


@pytest.mark.parametrize("template", sorted(CATALOGUES["en"]))
def test_every_email_reads_as_jinja_renders_it(template: str) -> None:
    names = sorted(_fields(template))
    cases = 0
    for brand, (i, value), link, unsubscribe in itertools.product(
        BRANDS,
        enumerate(TRICKY),
        [None, "https://r.example/t/a/bookings/1#token=a&b<c>"],
        [None, "https://r.example/unsubscribe?tenant=1&email=a%40b&token=x"],
    ):
        # one tricky value in turn, the others plain or empty, so empty paragraphs occur too
        values = {n: (value if k % len(TRICKY) == i else TRICKY[(i + k) % 2]) for k, n in enumerate(names)}
        for _ in range(2):  # the second time from the kept layout
            got = compose(template, brand, values, link=link, unsubscribe_url=unsubscribe)
            assert (got.subject, got.text, got.html) == _jinja(template, brand, values, link, unsubscribe)
        cases += 1
    assert cases == len(BRANDS) * len(TRICKY) * 4


def test_plain_is_unchanged_for_printable_and_control_text() -> None:
    assert plain("Zoë  Ångström") == "Zoë Ångström"
    assert plain("a\tb\nc\x00d\u200be") == "a b c d e"
    assert plain("see https://x.example") == "see https[:]//x.example"
    assert plain("x" * 10, 5) == "xxxx…"
