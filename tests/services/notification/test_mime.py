# ruff: noqa: RUF001 (the multiplication sign in "2 x Jazznacht" is meant as one, as in the emails)
"""The email bytes written directly (notification/mime.py) read, in a mail client, as the message
`EmailMessage` builds: the same decoded headers, the same parts, contents and attachments."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import format_datetime
from typing import Any

import pytest

from reservo.services.notification.delivery import build_message
from reservo.services.notification.mime import Attachment, message_bytes
from reservo.services.notification.models import Email

SENDER = "Reservo <no-reply@reservo.localhost>"
LINK = "https://shop.example/t/jazz/bookings/0b6c9f0e-8a47-4d55-9a4f-2f1f3b1c6f11#token=" + "Ab1-_" * 30
TEXT_DE = (
    "Hallo Jürgen,\n\nwir haben 2 × Jazznacht am 10. Dezember 2026 um 20:00 für Sie reserviert. "
    "Gesamt: 50,00 €.\n\nOrt: Hauptstraße 1 (Karte: https://maps.example/?q=1&x=2)\n\n"
    f"Bezahlen und Buchung verwalten: {LINK}\n\n-- \nGesendet von Café Ünder über Reservo\n"
)
HTML_DE = "<html><body>" + "".join(f"<p>{p}</p>" for p in TEXT_DE.split("\n\n")) + "</body></html>"
PDF = Attachment("R-2026-000042.pdf", "application/pdf", b"%PDF-1.7\n" + bytes(range(256)) * 64)

CASES: dict[str, dict[str, Any]] = {
    "ascii text only": {"subject": "Confirm your email address", "body": "Hello Ann,\n\nbye.", "html": None},
    "german, html": {
        "subject": "Ihre Buchung von Jazznacht ist reserviert",
        "body": TEXT_DE,
        "html": HTML_DE,
    },
    "staff note, long non-ascii subject": {
        "subject": "Neue Buchung: 2 × Jazznacht am 10. Dezember 2026 um 20:00, Großer Saal über dem Café",
        "body": TEXT_DE,
        "html": HTML_DE,
    },
    "subject cut between multi-byte characters": {
        "subject": "€" * 40 + " a" + "ü" * 31 + " 😀" * 12,
        "body": "€",
        "html": None,
    },
    "receipt attached": {
        "subject": "Your booking of Jazz night is confirmed",
        "body": "Hello Ann,\n\nthank you: 1 × Jazz night is confirmed.\n",
        "html": "<p>Hello Ann,</p>",
        "attachments": [PDF],
    },
    "reminder with unsubscribe header": {
        "subject": "Reminder: Jazz night on Dec 10, 2026 8:00 PM",
        "body": "Hello Ann,\n\nsee you soon!\n" + "x" * 200 + "\n",
        "html": "<p>see you soon</p>",
        "headers": {
            "List-Unsubscribe": "<https://shop.example/api/v1/notifications/unsubscribe?" + "t=1&" * 60 + ">"
        },
    },
    "two attachments, no html": {
        "subject": "Refund",
        "body": "Credit notes attached.",
        "html": None,
        "attachments": [PDF, Attachment("C-2026-000001.pdf", "application/pdf", b"%PDF-1.7\n")],
    },
}


def _email(case: dict[str, Any]) -> Email:
    return Email(
        id=uuid.uuid4(),
        to="ann.o'neil+jazz@example.com",
        subject=case["subject"],
        body=case["body"],
        html=case["html"],
        headers=case.get("headers", {}),
        created_at=datetime(2026, 12, 1, 5, 10, 17, tzinfo=UTC),
    )


def _as_read(raw: bytes) -> tuple[list[tuple[str, str]], list[tuple[str, str | None, Any]]]:
    """What a mail client shows: decoded headers and each leaf part's type, filename and content."""
    message = message_from_bytes(raw, policy=policy.default)
    structure = {"Content-Type", "Content-Transfer-Encoding", "MIME-Version"}  # boundaries are random
    headers = sorted((k, str(v)) for k, v in message.items() if k not in structure)
    parts = [
        (p.get_content_type(), p.get_filename(), p.get_content())  # type: ignore[attr-defined]
        for p in message.walk()
        if not p.is_multipart()
    ]
    return headers, parts


@pytest.mark.parametrize("name", CASES)
def test_the_direct_bytes_read_as_the_email_message(name: str) -> None:
    case = CASES[name]
    email = _email(case)
    attachments = case.get("attachments", [])
    direct = message_bytes(
        sender=SENDER,
        to=email.to,
        subject=email.subject,
        date=format_datetime(email.created_at),
        message_id=f"<{email.id}@reservo>",
        headers=email.headers,
        text=email.body,
        html=email.html,
        attachments=attachments,
    )
    assert direct is not None
    assert _as_read(direct) == _as_read(bytes(build_message(SENDER, email, attachments)))
    assert all(len(line) <= 998 for line in direct.splitlines())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to", "Ann <ann@example.com>"),  # a display name: EmailMessage's address handling
        ("to", "jürgen@example.com"),
        ("subject", "line\nbreak"),  # EmailMessage refuses it, as before
        ("subject", "=?utf-8?q?looks_encoded?="),
    ],
)
def test_what_it_does_not_write_is_left_to_email_message(field: str, value: str) -> None:
    values: dict[str, Any] = {
        "sender": SENDER,
        "to": "ann@example.com",
        "subject": "Hi",
        "date": "Tue, 01 Dec 2026 05:10:17 +0000",
        "message_id": "<m@reservo>",
        "headers": {},
        "text": "hello",
        "html": None,
        "attachments": [],
    }
    assert message_bytes(**{**values, field: value}) is None
