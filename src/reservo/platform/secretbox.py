"""Secrets stored at rest encrypted (Fernet: AES-128-CBC + HMAC), the key from the environment.

Without a configured key, one is derived from RESERVO_SECRET_KEY under a label of the service's
own, so two services' keys differ and can rotate apart."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class SecretBox:
    def __init__(self, key: str | None, fallback_secret: str, label: str, what: str) -> None:
        """`label` names the derived key (e.g. "reservo.payment.credentials"); `what` names the
        secret in the error raised when it cannot be decrypted."""
        if key:
            self._fernet = Fernet(key.encode())
        else:
            derived = hashlib.sha256(f"{label}\x00{fallback_secret}".encode()).digest()
            self._fernet = Fernet(base64.urlsafe_b64encode(derived))
        self._what = what

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise ValueError(f"{self._what} cannot be decrypted with the configured key") from exc
