"""Provider credentials are stored encrypted (Fernet: AES-128-CBC + HMAC), the key from the environment."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


class SecretBox:
    def __init__(self, key: str | None, fallback_secret: str) -> None:
        if key:
            self._fernet = Fernet(key.encode())
        else:
            derived = hashlib.sha256(f"reservo.payment.credentials\x00{fallback_secret}".encode()).digest()
            self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, secrets: dict[str, Any]) -> str:
        return self._fernet.encrypt(json.dumps(secrets, sort_keys=True).encode()).decode()

    def open(self, sealed: str) -> dict[str, Any]:
        try:
            value: dict[str, Any] = json.loads(self._fernet.decrypt(sealed.encode()))
        except InvalidToken as exc:
            raise ValueError("provider credentials cannot be decrypted with the configured key") from exc
        return value
