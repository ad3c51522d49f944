"""Read what the notification service mailed (the .eml outbox of the all-in-one shape)."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage as Message

from tests.conftest import Api, eventually


def _messages(api: Api) -> list[Message]:
    return [
        message_from_bytes(p.read_bytes(), _class=Message, policy=policy.default)
        for p in sorted(api.runtime.settings.outbox_dir.glob("*.eml"))
    ]


async def mail_to(api: Api, to: str, subject_has: str) -> Message:
    await api.settle()

    def find() -> Message | None:
        return next((m for m in _messages(api) if m["To"] == to and subject_has in m["Subject"]), None)

    found: Message = await eventually(find)
    return found


def mails_to(api: Api, to: str) -> list[Message]:
    return [m for m in _messages(api) if m["To"] == to]


def text_of(message: Message) -> str:
    """The plain-text part (the whole body of a single-part email)."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, message
    return str(part.get_content())


def link_token(message: Message) -> str:
    body = text_of(message)
    match = re.search(r"token=([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)
