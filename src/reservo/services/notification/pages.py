"""Small HTML pages: the development mailbox and the unsubscribe confirmation."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import escape

from reservo.services.notification.models import Delivery, Email

_env = Environment(
    loader=PackageLoader("reservo.services.notification", "templates"), autoescape=select_autoescape(["html"])
)


def mailbox_list(emails: list[Email]) -> str:
    return _env.get_template("mailbox.html").render(emails=emails, email=None)


def message_page(found: tuple[Email, list[Delivery]]) -> str:
    email, deliveries = found
    return _env.get_template("mailbox.html").render(email=email, deliveries=deliveries)


def unsubscribe_page(email: str, *, done: bool) -> str:
    body = (
        f"<p>{escape(email)} will get no more reminders from this business.</p>"
        if done
        else f'<form method="post"><p>Stop reminders to {escape(email)}?</p>'
        f'<button type="submit">Unsubscribe</button></form>'
    )
    head = '<!doctype html><html lang="en"><meta charset="utf-8"><title>Reminders</title>'
    return f"{head}<body>{body}</body></html>"
