"""Email templates (Jinja2, plain text; autoescape is for HTML, which these are not).

Rule for text someone outside the tenant chose (a guest's name, anything from a request body): pass
it through `plain` (here: `{{ customer.name | plain(60) }}`), which makes it one inert, bounded line.
An HTML template must in addition be autoescaped (issue 9 item 5).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

_env = Environment(
    loader=PackageLoader("reservo.services.notification", "templates"),
    undefined=StrictUndefined,
    autoescape=False,
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


def render(template: str, **context: Any) -> str:
    return _env.get_template(f"{template}.txt").render(**context)


def money(amount: int, currency: str) -> str:
    return f"{amount / 100:.2f} {currency}"
