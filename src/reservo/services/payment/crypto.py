"""Provider credentials are stored encrypted (platform/secretbox.py), as one JSON object."""

from __future__ import annotations

import json
from typing import Any

from reservo.platform import secretbox


class SecretBox:
    def __init__(self, key: str | None, fallback_secret: str) -> None:
        self._box = secretbox.SecretBox(
            key, fallback_secret, "reservo.payment.credentials", "provider credentials"
        )

    def seal(self, secrets: dict[str, Any]) -> str:
        return self._box.seal(json.dumps(secrets, sort_keys=True))

    def open(self, sealed: str) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self._box.open(sealed))
        return value
