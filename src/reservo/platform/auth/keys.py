"""Signing keys for access tokens: a directory of Ed25519 key files, newest signs, older ones verify.

Each key is one JSON file `<created>-<kid>.json` (mode 0600) holding the private JWK and its creation
time. The newest key signs. An older key keeps verifying until its successor has existed longer than
the longest access token lifetime (plus leeway): by then nothing it signed is still valid, so
`reservo keys rotate` deletes it and the JWKS stops listing it.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from joserfc.jwk import OKPKey

from reservo.platform.clock import Clock, SystemClock

ALGORITHM = "EdDSA"  # with an Ed25519 key (RFC 8037); the widely supported name for it


class NoSigningKey(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    created_at: datetime
    key: OKPKey

    def public_jwk(self) -> dict[str, Any]:
        return {**self.key.as_dict(private=False), "use": "sig", "alg": ALGORITHM}


class KeyStore:
    """The key directory of this deployment. Also a key source for the verifier (see tokens.py)."""

    def __init__(self, directory: Path, *, retire_after: timedelta, clock: Clock | None = None) -> None:
        self.directory = directory
        self._retire_after = retire_after
        self._clock = clock or SystemClock()
        self._keys: list[SigningKey] = []  # oldest first
        self._seen_mtime: float | None = None

    # -- files ---------------------------------------------------------------------------------

    def load(self) -> None:
        keys = []
        if self.directory.is_dir():
            self._seen_mtime = self.directory.stat().st_mtime
            for path in sorted(self.directory.glob("*.json")):
                data = json.loads(path.read_text())
                key = OKPKey.import_key(data["jwk"])
                keys.append(SigningKey(data["kid"], datetime.fromisoformat(data["created_at"]), key))
        self._keys = sorted(keys, key=lambda k: k.created_at)

    def _reload_if_changed(self) -> None:
        try:
            mtime = self.directory.stat().st_mtime
        except FileNotFoundError:
            return
        if mtime != self._seen_mtime:
            self.load()

    def ensure(self, *, create: bool) -> None:
        """Load the keys; without any, make the first one (all-in-one shape) or refuse."""
        self.load()
        if self._keys:
            return
        if not create:
            raise NoSigningKey(f"no signing key in {self.directory}; run `reservo keys rotate` first")
        self.rotate()

    def rotate(self) -> SigningKey:
        """Add a new signing key (it signs from now on) and delete keys nothing valid can refer to."""
        self.load()
        now = self._clock.now()
        if self._keys and now <= self._keys[-1].created_at:  # keep "newest" unambiguous
            now = self._keys[-1].created_at + timedelta(microseconds=1)
        kid = f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
        key = OKPKey.generate_key("Ed25519", parameters={"kid": kid}, private=True)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.directory / f"{kid}.json"
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump({"kid": kid, "created_at": now.isoformat(), "jwk": key.as_dict(private=True)}, fh)
        os.replace(tmp, path)
        new = SigningKey(kid, now, key)
        self._keys.append(new)
        for old in self._expired(now):
            (self.directory / f"{old.kid}.json").unlink(missing_ok=True)
        self.load()
        return new

    # -- use -----------------------------------------------------------------------------------

    def _expired(self, now: datetime) -> list[SigningKey]:
        out = []
        for older, successor in zip(self._keys, self._keys[1:], strict=False):
            if successor.created_at + self._retire_after <= now:
                out.append(older)
        return out

    def signing_key(self) -> SigningKey:
        self._reload_if_changed()
        if not self._keys:
            raise NoSigningKey(f"no signing key in {self.directory}")
        return self._keys[-1]

    def verifying_keys(self) -> list[SigningKey]:
        self._reload_if_changed()
        expired = {k.kid for k in self._expired(self._clock.now())}
        return [k for k in self._keys if k.kid not in expired]

    async def key(self, kid: str) -> OKPKey | None:
        return next((k.key for k in self.verifying_keys() if k.kid == kid), None)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk() for k in reversed(self.verifying_keys())]}
