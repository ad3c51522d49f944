"""The MIME bytes of a queued email, written directly for the shape every Reservo email has (plain
text, an HTML alternative, attachments; simple addresses), instead of through `EmailMessage`, whose
header registry parses and refolds every header (it was most of the CPU an email cost, D15-27).

A recipient's client reads the same message either way: the same headers once decoded, the same parts
with the same content and filenames (tests/services/notification/test_mime.py parses both and compares
them). `message_bytes` answers None for anything outside that shape (an address with a display name
beyond plain words, a header with a line break or an encoded word, a filename to encode), and the
caller then builds the `EmailMessage` as before.
"""

from __future__ import annotations

import base64
import binascii
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

_ADDRESS = r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+"
SIMPLE_ADDRESS = re.compile(_ADDRESS)
NAMED_ADDRESS = re.compile(rf"{_ADDRESS}|[A-Za-z0-9]+(?: [A-Za-z0-9]+)* <{_ADDRESS}>")
_TOKEN = re.compile(r"[A-Za-z0-9!#$&^_.+-]+")
_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]*")
_MAX_LINE = 78  # what EmailMessage keeps a body's lines to before it encodes them


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


def _header(name: str, value: str) -> str | None:
    if "\r" in value or "\n" in value or "=?" in value or value != value.strip():
        return None  # EmailMessage refuses, decodes or trims these: its own path decides
    if value.isascii():
        return f"{name}: {value}\n" if len(name) + len(value) < 990 else None
    return f"{name}: {_encoded_words(value)}\n"


def _encoded_words(value: str) -> str:
    """RFC 2047 base64 encoded-words of at most 45 bytes (72 characters) each, cut between UTF-8
    characters, one per folded line; a reader joins adjacent encoded-words without the space."""
    data = value.encode("utf-8")
    words: list[str] = []
    start = 0
    while start < len(data):
        end = min(start + 45, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(data[start:end]).decode('ascii')}?=")
        start = end
    return "\n ".join(words)


def _text(text: str) -> tuple[str, bytes]:
    """The transfer encoding and encoded body; lines end in \\n and the body with one, as
    EmailMessage.set_content leaves them (7bit when it is short ASCII lines, else quoted-printable)."""
    lines = text.encode("utf-8").splitlines()
    body = b"\n".join(lines) + b"\n"
    if body.isascii() and max((len(line) for line in lines), default=0) <= _MAX_LINE:
        return "7bit", body
    return "quoted-printable", binascii.b2a_qp(body)


def _text_part(text: str, subtype: str) -> tuple[bytes, bytes]:
    cte, body = _text(text)
    head = f'Content-Type: text/{subtype}; charset="utf-8"\nContent-Transfer-Encoding: {cte}\n'
    return head.encode("ascii"), body


def _attachment_part(item: Attachment) -> tuple[bytes, bytes] | None:
    maintype, _, subtype = item.content_type.partition("/")
    if not (_TOKEN.fullmatch(maintype) and _TOKEN.fullmatch(subtype) and _FILENAME.fullmatch(item.filename)):
        return None
    head = (
        f"Content-Type: {maintype}/{subtype}\nContent-Transfer-Encoding: base64\n"
        f'Content-Disposition: attachment; filename="{item.filename}"\n'
    )
    return head.encode("ascii"), base64.encodebytes(item.data)


def _boundary(parts: Sequence[tuple[bytes, bytes]]) -> str:
    while True:  # as email.generator makes them; never a line of a part
        boundary = "=" * 15 + f"{random.randrange(10**19):019d}" + "=="
        if not any(boundary.encode("ascii") in body for _, body in parts):
            return boundary


def _multipart(subtype: str, parts: Sequence[tuple[bytes, bytes]]) -> tuple[bytes, bytes]:
    boundary = _boundary(parts)
    delimiter = f"--{boundary}\n".encode("ascii")
    chunks: list[bytes] = []
    for part_head, part_body in parts:
        chunks += [delimiter, part_head, b"\n", part_body, b"\n"]
    chunks.append(f"--{boundary}--\n".encode("ascii"))
    head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\n'
    return head.encode("ascii"), b"".join(chunks)


def message_bytes(
    *,
    sender: str,
    to: str,
    subject: str,
    date: str,
    message_id: str,
    headers: dict[str, str],
    text: str,
    html: str | None,
    attachments: Sequence[Attachment],
) -> bytes | None:
    """The message as .eml bytes (lines end in \\n, as `bytes(EmailMessage)` writes them), or None
    when it is not of the shape this writes (the caller builds an `EmailMessage` then)."""
    if not (NAMED_ADDRESS.fullmatch(sender) and SIMPLE_ADDRESS.fullmatch(to)):
        return None
    lines = [
        _header("From", sender),
        _header("To", to),
        _header("Subject", subject),
        _header("Date", date),
        _header("Message-ID", message_id),
    ]
    lines += [_header(name, value) if _TOKEN.fullmatch(name) else None for name, value in headers.items()]
    top: list[str] = []
    for line in lines:
        if line is None:
            return None
        top.append(line)
    body = _text_part(text, "plain")
    if html:
        body = _multipart("alternative", [body, _text_part(html, "html")])
    if attachments:
        parts = [body]
        for item in attachments:
            part = _attachment_part(item)
            if part is None:
                return None
            parts.append(part)
        body = _multipart("mixed", parts)
    head, payload = body
    return "".join(top).encode("ascii") + b"MIME-Version: 1.0\n" + head + b"\n" + payload
