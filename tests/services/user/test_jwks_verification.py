"""Services running apart verify tokens with the user service's JWKS over HTTP: fetched once, cached,
refetched (rate-limited) on an unknown kid; no call per request."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import uvicorn

from reservo.app import create_app
from reservo.platform.auth.keys import KeyStore
from reservo.platform.auth.tokens import JwtVerifier, TokenIssuer
from reservo.platform.clock import SystemClock
from reservo.platform.config import Settings
from reservo.platform.runtime import token_rules
from reservo.services import pick
from tests.conftest import Api

ROUTE = "/api/v1/admin/dead-letters/catalog"


@pytest.fixture
def user_service(settings: Settings) -> Iterator[str]:
    """The user service alone, on a real port (its own process in production; a thread here)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = create_app(pick(["user"]), settings)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(10)


def _issuer(settings: Settings) -> tuple[KeyStore, TokenIssuer]:
    keys = KeyStore(settings.keys_dir, retire_after=timedelta(minutes=16))
    keys.load()
    return keys, TokenIssuer(keys, token_rules(settings), timedelta(minutes=15), SystemClock())


async def test_a_catalog_process_verifies_with_the_cached_jwks(
    make_api, settings: Settings, user_service: str
) -> None:
    catalog: Api = await make_api(
        ["catalog"],
        settings_update={
            "jwks_url": f"{user_service}/.well-known/jwks.json",
            "jwks_min_refresh_seconds": 0.5,
        },
    )
    assert catalog.runtime.keys is None  # this process holds no signing key
    verifier = catalog.runtime.verifier
    assert isinstance(verifier, JwtVerifier)
    jwks = verifier.keys
    keys, issuer = _issuer(settings)

    import uuid

    def token() -> dict[str, str]:
        minted = issuer.mint(user_id=uuid.uuid4(), email="root@reservo.example", admin=True)
        return {"Authorization": f"Bearer {minted}"}

    for _ in range(20):
        assert (await catalog.client.get(ROUTE, headers=token())).status_code == 200
    assert jwks.fetches == 1  # type: ignore[attr-defined]

    # The user service rotates: the new kid is unknown here, so the JWKS is fetched again, once.
    await asyncio.sleep(0.6)
    keys.rotate()
    results = await asyncio.gather(*(catalog.client.get(ROUTE, headers=token()) for _ in range(10)))
    assert {r.status_code for r in results} == {200}
    assert jwks.fetches == 2  # type: ignore[attr-defined]

    # A flood of forged kids cannot turn into a flood of JWKS requests.
    from joserfc.jwk import OKPKey

    from reservo.platform.auth.jose import sign_jws

    forger = OKPKey.generate_key("Ed25519", private=True)
    for i in range(30):
        forged = sign_jws({"kid": f"forged-{i}"}, {"sub": "x"}, forger, "EdDSA")
        response = await catalog.client.get(ROUTE, headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401 and response.json()["code"] == "invalid_token"
    assert jwks.fetches <= 3  # type: ignore[attr-defined]
