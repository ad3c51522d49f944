"""TikTok Events API 2.0 (reference/integrations.md §5): payload, hashing, one call, its outcome.

TikTok answers most errors with HTTP 200 and a non-zero `code`: only `code` 0 (and 20001, partial
success) is a delivery. Rate limiting (40100), server codes (5xxxx) and HTTP 5xx/429/timeouts are
worth retrying; the rest (no permission, invalid parameter, bad token) will not heal by itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import httpx

TRACK_PATH = "/open_api/v1.3/event/track/"
OK_CODES = (0, 20001)
ZERO_DECIMAL = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "HUF", "TWD", "UGX", "XAF", "XOF"})


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hash_email(email: str) -> str:
    return sha256(email.strip().lower())


def hash_phone(phone: str) -> str:
    """E.164: keep the leading + and the digits."""
    raw = phone.strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    return sha256(f"+{digits}")


def value_of(amount: int, currency: str) -> float:
    """Minor units to the decimal value TikTok's `value` wants."""
    return amount if currency.upper() in ZERO_DECIMAL else round(amount / 100, 2)


@dataclass(frozen=True, slots=True)
class Outcome:
    delivered: bool
    retryable: bool
    detail: str
    status_code: int | None = None
    code: int | None = None


def body_for(pixel_code: str, test_event_code: str | None, event: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"event_source": "web", "event_source_id": pixel_code, "data": [event]}
    if test_event_code:
        body["test_event_code"] = test_event_code
    return body


async def send(client: httpx.AsyncClient, base: str, token: str, body: dict[str, Any]) -> Outcome:
    try:
        response = await client.post(
            base.rstrip("/") + TRACK_PATH,
            json=body,
            headers={"Access-Token": token, "Content-Type": "application/json"},
        )
    except httpx.TimeoutException:
        return Outcome(False, True, "timeout")
    except httpx.HTTPError as exc:
        return Outcome(False, True, f"unreachable: {type(exc).__name__}")
    status = response.status_code
    if status >= 500 or status == 429:
        return Outcome(False, True, f"HTTP {status}", status)
    try:
        answer = response.json()
        code = int(answer.get("code"))
        message = str(answer.get("message", ""))[:300]
    except (ValueError, TypeError, AttributeError):
        return Outcome(False, status >= 500, f"HTTP {status}: not a TikTok answer", status)
    if status == 200 and code in OK_CODES:
        return Outcome(True, False, message or "OK", status, code)
    retryable = code == 40100 or code >= 50000
    return Outcome(False, retryable, f"code {code}: {message}", status, code)
