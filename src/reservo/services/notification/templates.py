"""Email templates (Jinja2, plain text; autoescape is for HTML, which these are not)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

_env = Environment(
    loader=PackageLoader("reservo.services.notification", "templates"),
    undefined=StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)


def render(template: str, **context: Any) -> str:
    return _env.get_template(f"{template}.txt").render(**context)


def money(amount: int, currency: str) -> str:
    return f"{amount / 100:.2f} {currency}"
