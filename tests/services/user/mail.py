"""Read what the notification service mailed (the .eml outbox of the all-in-one shape)."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import Message

from tests.conftest import Api, eventually


def _messages(api: Api) -> list[Message]:
    return [message_from_bytes(p.read_bytes()) for p in sorted(api.runtime.settings.outbox_dir.glob("*.eml"))]


async def mail_to(api: Api, to: str, subject_has: str) -> Message:
    await api.settle()

    def find() -> Message | None:
        return next((m for m in _messages(api) if m["To"] == to and subject_has in m["Subject"]), None)

    found: Message = await eventually(find)
    return found


def mails_to(api: Api, to: str) -> list[Message]:
    return [m for m in _messages(api) if m["To"] == to]


def link_token(message: Message) -> str:
    body = str(message.get_payload(decode=True), "utf-8")
    match = re.search(r"token=([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)
