"""Capability links that no event has to carry: the token is derived from a subject id and a key.

The owner of a resource (booking for a guest's booking, user for a reset link) and the mailer
(notification) both hold the deployment's `RESERVO_SECRET_KEY`; an event carries only the subject's id
and the mailer derives the token to put in the link. Anyone who reads the event (Kafka, dead letters,
logs, TikTok forwarding) without the key cannot build the link. The owner verifies by deriving again
(constant time); one-time or revocable links keep a row per subject and change the subject to revoke.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid


def link_token(key: str, purpose: str, subject: uuid.UUID | str) -> str:
    """The URL-safe token for `subject` used for `purpose` (e.g. "booking.guest", "user.password_reset")."""
    mac = hmac.new(key.encode(), f"{purpose}\x00{subject}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def link_token_ok(key: str, purpose: str, subject: uuid.UUID | str, token: str) -> bool:
    # Bytes, not str: compare_digest refuses str with non-ASCII characters, and a token is caller input.
    return hmac.compare_digest(link_token(key, purpose, subject).encode(), token.encode())
