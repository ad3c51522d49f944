"""Access tokens: every service verifies them locally; forged, expired or foreign tokens get 401."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import Sequence
from datetime import timedelta

import pytest
from joserfc.jwk import OKPKey
from typer.testing import CliRunner

from reservo.cli import cli
from reservo.platform.auth.jose import sign_jws
from reservo.platform.clock import ManualClock
from reservo.platform.config import Settings
from tests.conftest import Api

ADMIN_ROUTE = "/api/v1/admin/dead-letters/user"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(token: str) -> dict[str, object]:
    return dict(json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==")))


def _header(token: str) -> dict[str, object]:
    return dict(json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==")))


async def _get(api: Api, token: str) -> tuple[int, str]:
    response = await api.client.get(ADMIN_ROUTE, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json().get("code", "")


@pytest.fixture
def app_services() -> Sequence[str]:
    return ["user"]


class TestAccessTokens:
    async def test_a_valid_token_carries_the_documented_claims(self, api: Api) -> None:
        token = api.access_token("root@reservo.example", "admin", "owner@acme")
        assert await _get(api, token) == (200, "")
        header, claims = _header(token), _claims(token)
        assert header["alg"] == "EdDSA" and header["kid"]
        assert set(claims) >= {"sub", "email", "name", "iat", "exp", "iss", "aud", "tenants", "admin"}
        assert claims["tenants"] == {"acme": "owner"} and claims["admin"] is True
        assert claims["exp"] == claims["iat"] + 15 * 60  # type: ignore[operator]

    async def test_an_expired_token_is_refused(self, api: Api) -> None:
        old = api.runtime.clock.now() - timedelta(minutes=20)
        token = api.access_token("root@reservo.example", "admin", issued_at=old)
        assert await _get(api, token) == (401, "token_expired")

    async def test_expiry_has_a_small_leeway_only(self, api: Api) -> None:
        just = api.runtime.clock.now() - timedelta(minutes=15, seconds=10)
        assert (await _get(api, api.access_token("r@x.example", "admin", issued_at=just)))[0] == 200
        late = api.runtime.clock.now() - timedelta(minutes=16)
        assert await _get(api, api.access_token("r@x.example", "admin", issued_at=late)) == (
            401,
            "token_expired",
        )

    async def test_a_token_signed_by_another_key_with_a_known_kid_is_refused(self, api: Api) -> None:
        genuine = api.access_token("root@reservo.example", "admin")
        forger = OKPKey.generate_key("Ed25519", private=True)
        forged = sign_jws(_header(genuine), _claims(genuine), forger, "EdDSA")
        assert await _get(api, forged) == (401, "invalid_token")

    async def test_a_token_with_an_unknown_kid_is_refused(self, api: Api) -> None:
        genuine = api.access_token("root@reservo.example", "admin")
        forger = OKPKey.generate_key("Ed25519", private=True)
        forged = sign_jws({"kid": "not-ours"}, _claims(genuine), forger, "EdDSA")
        assert await _get(api, forged) == (401, "invalid_token")

    async def test_alg_none_is_refused(self, api: Api) -> None:
        genuine = api.access_token("root@reservo.example", "admin")
        unsigned = f"{_b64({'alg': 'none', 'kid': _header(genuine)['kid']})}.{_b64(_claims(genuine))}."
        assert await _get(api, unsigned) == (401, "invalid_token")

    async def test_a_hmac_token_keyed_with_the_public_key_is_refused(self, api: Api) -> None:
        genuine = api.access_token("root@reservo.example", "admin")
        header = {**_header(genuine), "alg": "HS256"}
        fake = f"{_b64(header)}.{_b64(_claims(genuine))}.{genuine.split('.')[2]}"
        assert await _get(api, fake) == (401, "invalid_token")

    async def test_a_tampered_payload_is_refused(self, api: Api) -> None:
        token = api.access_token("eve@example.com", "owner@acme")
        header, _, signature = token.split(".")
        claims = {**_claims(token), "admin": True}
        assert await _get(api, f"{header}.{_b64(claims)}.{signature}") == (401, "invalid_token")

    @pytest.mark.parametrize("claim", [{"iss": "someone-else"}, {"aud": "another-api"}])
    async def test_wrong_issuer_or_audience_is_refused(self, api: Api, claim: dict[str, str]) -> None:
        genuine = api.access_token("root@reservo.example", "admin")
        key = api.runtime.keys.signing_key()  # type: ignore[union-attr]
        token = sign_jws(_header(genuine), {**_claims(genuine), **claim}, key.key, "EdDSA")
        assert await _get(api, token) == (401, "invalid_token")

    @pytest.mark.parametrize(
        "garbage", ["x", "a.b.c", "....", "Zm9v.YmFy.YmF6", "e30.e30.", "eyJhbGciOiJFZERTQSJ9" * 600]
    )
    async def test_malformed_tokens_are_401_problems(self, api: Api, garbage: str) -> None:
        assert await _get(api, garbage) == (401, "invalid_token")

    async def test_jwks_lists_the_public_key_only(self, api: Api) -> None:
        jwks = (await api.client.get("/.well-known/jwks.json")).json()
        (key,) = jwks["keys"]
        assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA"
        assert "d" not in key


class TestKeyRotation:
    async def test_old_tokens_verify_new_tokens_use_the_new_kid(
        self, api: Api, settings: Settings, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        before = api.access_token("root@reservo.example", "admin")
        monkeypatch.setenv("RESERVO_DATA_DIR", str(settings.data_dir))
        result = await asyncio.to_thread(CliRunner().invoke, cli, ["keys", "rotate"])
        assert result.exit_code == 0, result.output
        after = api.access_token("root@reservo.example", "admin")

        assert _header(after)["kid"] != _header(before)["kid"]
        assert await _get(api, before) == (200, "")
        assert await _get(api, after) == (200, "")
        kids = [k["kid"] for k in (await api.client.get("/.well-known/jwks.json")).json()["keys"]]
        assert kids == [_header(after)["kid"], _header(before)["kid"]]

    async def test_a_retired_key_leaves_the_jwks_once_its_tokens_expired(self, make_api) -> None:
        clock = ManualClock()
        api: Api = await make_api(["user"], clock=clock)
        assert api.runtime.keys is not None
        before = api.access_token("root@reservo.example", "admin")
        new = api.runtime.keys.rotate()
        clock.advance(timedelta(minutes=16))

        kids = [k["kid"] for k in (await api.client.get("/.well-known/jwks.json")).json()["keys"]]
        assert kids == [new.kid]
        assert await _get(api, before) == (401, "invalid_token")


def test_rotation_deletes_key_files_nothing_valid_can_refer_to(tmp_path) -> None:
    from reservo.platform.auth.keys import KeyStore

    clock = ManualClock()
    store = KeyStore(tmp_path / "keys", retire_after=timedelta(minutes=15, seconds=30), clock=clock)
    store.ensure(create=True)
    first = store.signing_key().kid
    clock.advance(timedelta(minutes=1))
    second = store.rotate().kid
    assert sorted(p.stem for p in (tmp_path / "keys").glob("*.json")) == sorted([first, second])
    clock.advance(timedelta(minutes=20))
    third = store.rotate().kid
    assert sorted(p.stem for p in (tmp_path / "keys").glob("*.json")) == sorted([second, third])
    assert [k.kid for k in store.verifying_keys()] == [second, third]
    assert oct((tmp_path / "keys" / f"{third}.json").stat().st_mode & 0o777) == "0o600"


def test_a_distributed_production_process_never_invents_a_signing_key(tmp_path) -> None:
    from reservo.platform.auth.keys import NoSigningKey
    from reservo.platform.events.inprocess import InProcessBus
    from reservo.platform.runtime import Runtime
    from reservo.services import pick

    settings = Settings(data_dir=tmp_path, environment="production", bus="kafka", secret_key="s" * 40)
    with pytest.raises(NoSigningKey, match="reservo keys rotate"):
        Runtime(settings, pick(["user"]), bus=InProcessBus())
    assert not list(tmp_path.glob("keys/*.json"))
    # Once an operator made the key (or mounted the directory), the process starts and signs with it.
    from reservo.platform.auth.keys import KeyStore

    made = KeyStore(settings.keys_dir, retire_after=timedelta(minutes=16)).rotate()
    runtime = Runtime(settings, pick(["user"]), bus=InProcessBus())
    assert runtime.issuer().mint(user_id=uuid.uuid4(), email="a@b.example")
    assert runtime.keys is not None and runtime.keys.signing_key().kid == made.kid
