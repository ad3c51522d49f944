"""Password policy and hashing (argon2id through pwdlib), run off the event loop."""

from __future__ import annotations

import asyncio
import string
from functools import cache
from importlib.resources import files

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from reservo.services.user.errors import PasswordTooLong, WeakPassword
from reservo.services.user.settings import UserSettings

MIN_LENGTH = 10
MAX_BYTES = 1024


# Undo the usual substitutions, so "P@ssw0rd" reads as "password".
_LEET = str.maketrans(
    {"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
)
_DECORATION = string.digits + string.punctuation + string.whitespace


def _readings(lowered: str) -> set[str]:
    """The password, and its core without the digits and symbols people add to a common word
    ("Password123!" -> "password", "Summer2024" -> "summer"), plain and with leetspeak undone."""
    core = lowered.strip(_DECORATION)
    return {lowered, core, lowered.translate(_LEET), core.translate(_LEET)} - {""}


@cache
def _common() -> frozenset[str]:
    text = (files("reservo.services.user") / "common_passwords.txt").read_text()
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_policy(password: str, *, email: str = "") -> None:
    if len(password.encode()) > MAX_BYTES:
        raise PasswordTooLong(f"At most {MAX_BYTES} bytes")
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters")
    lowered = password.lower()
    if not _readings(lowered).isdisjoint(_common()) or len(set(lowered)) < 3 or lowered.isdigit():
        raise WeakPassword("This password is too common; choose another one")
    if email and lowered in (email.lower(), email.lower().split("@")[0]):
        raise WeakPassword("Do not use your email address as password")


def passwords(settings: UserSettings) -> Passwords:
    return _passwords(settings.argon2_time_cost, settings.argon2_memory_kib)


@cache
def _passwords(time_cost: int, memory_kib: int) -> Passwords:
    return Passwords(time_cost, memory_kib)


class Passwords:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        hasher = Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        self._hash = PasswordHash((hasher,))
        # Compared against when the email is unknown, so both answers take the same time.
        self._dummy = self._hash.hash("no-such-account-dummy-password")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, hashed: str | None) -> bool:
        if len(password.encode()) > MAX_BYTES:
            return False
        return await asyncio.to_thread(self._hash.verify, password, hashed or self._dummy)
