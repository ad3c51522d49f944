"""Whatever arrives as a bearer token, the verifier answers 401 problems and nothing else."""

from __future__ import annotations

import asyncio
import base64
import json
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reservo.platform.auth.keys import KeyStore
from reservo.platform.auth.tokens import InvalidToken, JwtVerifier, TokenExpired, TokenRules
from reservo.platform.clock import SystemClock

_keys = KeyStore(Path(tempfile.mkdtemp()) / "keys", retire_after=timedelta(minutes=16))
_keys.ensure(create=True)
_verifier = JwtVerifier(_keys, TokenRules("reservo", "reservo-api"), SystemClock())
_kid = _keys.signing_key().kid


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
headers = st.fixed_dictionaries(
    {"alg": st.sampled_from(["EdDSA", "none", "HS256", "RS256", "ES256", ""]) | st.text(max_size=5)},
    optional={
        "kid": st.just(_kid) | st.text(max_size=10) | json_values,
        "typ": json_values,
        "crit": json_values,
    },
)


def _check(token: str) -> None:
    try:
        asyncio.run(_verifier.verify(token))
    except (InvalidToken, TokenExpired):
        return
    raise AssertionError(f"accepted {token!r}")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_is_refused_with_a_401(token: str) -> None:
    _check(token)


@settings(max_examples=300, deadline=None)
@given(headers, json_values, st.binary(max_size=80))
def test_structured_junk_is_refused_with_a_401(
    header: dict[str, object], claims: object, signature: bytes
) -> None:
    token = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}.{_b64(signature)}"
    _check(token)
