"""Outgoing mail transports: .eml files in the local outbox folder, or SMTP (the notification service
picks one from its settings)."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    pass


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


class SmtpMailer:
    """Delivers through an SMTP server (aiosmtplib), STARTTLS unless told otherwise.

    A new connection per message: sends are rare next to the cost of a stale pooled connection.
    The Message-ID is the queued email's id, so a resend after a lost acknowledgement is recognisable.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 30.0,
    ) -> None:
        self.host, self.port = host, port
        self._username, self._password = username, password
        self._starttls, self._timeout = starttls, timeout

    async def send(self, message: EmailMessage, *, message_id: str) -> None:
        import aiosmtplib

        from reservo.platform.tracing import client_span

        with client_span(
            "smtp send",
            **{"server.address": self.host, "server.port": self.port, "reservo.message_id": message_id},
        ):
            await self._send(aiosmtplib, message)

    async def _send(self, aiosmtplib: Any, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.host,
            port=self.port,
            username=self._username,
            password=self._password,
            start_tls=self._starttls,
            timeout=self._timeout,
        )
