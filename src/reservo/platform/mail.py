"""Outgoing mail: .eml files in the local outbox folder by default, SMTP in production."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol


class Mailer(Protocol):
    async def send(self, message: EmailMessage, *, message_id: str) -> None:
        """Deliver; the same message_id sent twice must not produce two different deliveries."""


class OutboxFolderMailer:
    """Writes `<message_id>.eml`; writing the same id again overwrites, so a retry is harmless."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage, *, message_id: str) -> None:
        await asyncio.to_thread(self._write, message, message_id)

    def _write(self, message: EmailMessage, message_id: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{message_id}.eml"
        partial = target.with_suffix(".eml.part")
        partial.write_bytes(bytes(message))
        partial.replace(target)  # atomic: a reader never sees half a message
