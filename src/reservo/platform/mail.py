"""Outgoing mail transports: .eml files in the local outbox folder, or SMTP (the notification service
picks one from its settings)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A message ready to go: an `EmailMessage`, or its bytes with the SMTP envelope (sender and
    recipients) that an `EmailMessage` would have given from its headers."""

    message: EmailMessage | bytes
    message_id: str
    sender: str = ""
    recipients: tuple[str, ...] = ()


class Mailer(Protocol):
    async def send(self, message: EmailMessage, *, message_id: str) -> None:
        """Deliver; the same message_id sent twice must not produce two different deliveries."""

    async def send_all(self, messages: Sequence[Outgoing]) -> list[Exception | None]:
        """Deliver each, in order; per message None (sent) or what its delivery raised."""


class OutboxFolderMailer:
    """Writes `<message_id>.eml`; writing the same id again overwrites, so a retry is harmless."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage, *, message_id: str) -> None:
        (error,) = await self.send_all([Outgoing(message, message_id)])
        if error is not None:
            raise error

    async def send_all(self, messages: Sequence[Outgoing]) -> list[Exception | None]:
        """All files written in one hand-off to a thread (not one per message)."""
        return await asyncio.to_thread(self._write_all, messages)

    def _write_all(self, messages: Sequence[Outgoing]) -> list[Exception | None]:
        outcomes: list[Exception | None] = []
        for item in messages:
            try:
                self._write(item.message, item.message_id)
            except Exception as exc:
                outcomes.append(exc)
            else:
                outcomes.append(None)
        return outcomes

    def _write(self, message: EmailMessage | bytes, message_id: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{message_id}.eml"
        partial = target.with_suffix(".eml.part")
        partial.write_bytes(message if isinstance(message, bytes) else bytes(message))
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
        await self._send_one(Outgoing(message, message_id))

    async def send_all(self, messages: Sequence[Outgoing]) -> list[Exception | None]:
        outcomes: list[Exception | None] = []
        for item in messages:
            try:
                await self._send_one(item)
            except Exception as exc:
                outcomes.append(exc)
            else:
                outcomes.append(None)
        return outcomes

    async def _send_one(self, item: Outgoing) -> None:
        import aiosmtplib

        from reservo.platform.tracing import client_span

        with client_span(
            "smtp send",
            **{"server.address": self.host, "server.port": self.port, "reservo.message_id": item.message_id},
        ):
            await self._send(aiosmtplib, item)

    async def _send(self, aiosmtplib: Any, item: Outgoing) -> None:
        envelope: dict[str, Any] = {}
        if isinstance(item.message, bytes):  # an EmailMessage names them in its headers
            envelope = {"sender": item.sender, "recipients": list(item.recipients)}
        await aiosmtplib.send(
            item.message,
            **envelope,
            hostname=self.host,
            port=self.port,
            username=self._username,
            password=self._password,
            start_tls=self._starttls,
            timeout=self._timeout,
        )
