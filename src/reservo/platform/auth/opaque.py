"""Opaque secrets (refresh tokens, one-time links, guest booking tokens): random, stored only hashed.

A database leak must not hand out usable tokens, so services keep `digest(token)` and compare digests.
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret() -> str:
    """An opaque, URL-safe random token (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """What is stored in place of the token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()
