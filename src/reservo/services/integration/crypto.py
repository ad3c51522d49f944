"""TikTok access tokens are stored encrypted (Fernet: AES-128-CBC + HMAC), the key from the
environment. The same idea as the payment service's SecretBox, with its own key derivation label,
so neither service imports the other and the two keys can rotate apart."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class TokenBox:
    def __init__(self, key: str | None, fallback_secret: str) -> None:
        if key:
            self._fernet = Fernet(key.encode())
        else:
            derived = hashlib.sha256(f"reservo.integration.tokens\x00{fallback_secret}".encode()).digest()
            self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("the access token cannot be decrypted with the configured key") from exc
