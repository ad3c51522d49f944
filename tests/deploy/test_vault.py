"""Secrets from a real HashiCorp Vault (dev server, KV v2): a production start takes its secret key
from Vault, the secret is really the one in use (guest booking tokens are derived from it), the
environment wins over Vault, a bad token or path stops the start naming what to fix, and no secret
value reaches the output. `vault` is built from the Go module proxy by `scripts/services.sh
install vault` (cached outside the repository)."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import hvac
import pytest

from reservo.platform.auth.links import link_token
from tests.conftest import IN_CI
from tests.distributed.procs import RESERVO, Proc, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A Vault dev server on a free port: (address, root token)."""
    binary = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), "tool", "vault"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not Path(binary).is_file():
        if IN_CI:
            pytest.fail(f"vault missing at {binary}: scripts/services.sh install vault")
        pytest.skip("vault missing: scripts/services.sh install vault")
    port, token = free_port(), secrets.token_hex(16)
    folder = tmp_path_factory.mktemp("vault")
    argv = [binary, "server", "-dev", f"-dev-root-token-id={token}", f"-dev-listen-address=127.0.0.1:{port}"]
    env = {"PATH": os.environ["PATH"], "HOME": str(folder), "VAULT_DISABLE_MLOCK": "true"}
    proc = Proc("vault", argv, env, folder / "vault.log", port).start()
    try:
        proc.wait_http("/v1/sys/health", timeout=60)
        yield proc.url, token
    finally:
        proc.stop()


def write_secret(vault: tuple[str, str], path: str, data: dict[str, str]) -> None:
    client = hvac.Client(url=vault[0], token=vault[1])
    client.secrets.kv.v2.create_or_update_secret(path=path, secret=data, mount_point="secret")


def reservo_env(tmp_path: Path, vault: tuple[str, str], path: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESERVO_")}
    env.update(
        RESERVO_DATA_DIR=str(tmp_path / "data"),
        RESERVO_LOG_JSON="false",
        RESERVO_VAULT_ADDR=vault[0],
        RESERVO_VAULT_TOKEN=vault[1],
        RESERVO_VAULT_PATH=path,
    )
    env.update(extra)
    return env


def run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RESERVO, *argv], env=env, capture_output=True, text=True, timeout=180)


def test_a_production_start_takes_its_secret_key_from_vault_and_uses_it(
    vault: tuple[str, str], tmp_path: Path
) -> None:
    key = secrets.token_urlsafe(32)
    write_secret(vault, "prod", {"RESERVO_SECRET_KEY": key})
    env = reservo_env(tmp_path, vault, "prod", RESERVO_ENVIRONMENT="production")

    without = run(["serve", "--port", str(free_port())], {**env, "RESERVO_VAULT_ADDR": ""})
    assert without.returncode != 0 and "RESERVO_SECRET_KEY" in without.stderr

    for command in (["migrate"], ["seed"]):
        done = run(command, env)
        assert done.returncode == 0, done.stderr
        assert "1 secret(s) from Vault: RESERVO_SECRET_KEY" in done.stderr
    port = free_port()
    server = Proc("serve", [RESERVO, "serve", "--port", str(port)], env, tmp_path / "serve.log", port).start()
    try:
        server.wait_http("/readyz")
        offerings = httpx.get(f"{server.url}/api/v1/tenants/demo/offerings?limit=200").json()["items"]
        product = next(o for o in offerings if o["kind"] == "product")
        body: dict[str, Any] = {
            "offering_id": product["id"],
            "quantity": 1,
            "customer": {"name": "Ann", "email": "ann@example.com"},
        }
        booked = httpx.post(f"{server.url}/api/v1/tenants/demo/bookings", json=body)
        assert booked.status_code == 201, booked.text
        booking = booked.json()
        assert booking["access_token"] == link_token(key, "booking.guest", booking["id"])
        mine = httpx.get(
            f"{server.url}/api/v1/bookings/{booking['id']}",
            headers={"X-Booking-Token": booking["access_token"]},
        )
        assert mine.status_code == 200, mine.text
    finally:
        server.stop()
    assert key not in server.log.read_text()


def test_the_environment_wins_over_vault(vault: tuple[str, str], tmp_path: Path) -> None:
    write_secret(vault, "both", {"RESERVO_SECRET_KEY": "from-vault-" + secrets.token_hex(8)})
    done = run(["migrate", "user"], reservo_env(tmp_path, vault, "both", RESERVO_SECRET_KEY="from-env"))
    assert done.returncode == 0, done.stderr
    assert "secret(s) from Vault" not in done.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"RESERVO_VAULT_TOKEN": "not-a-token"}, "Vault refused to read secret/prod"),
        ({"RESERVO_VAULT_PATH": "nowhere"}, "no secret at secret/nowhere"),
        ({"RESERVO_VAULT_ADDR": "http://127.0.0.1:9"}, "check RESERVO_VAULT_ADDR"),
        ({"RESERVO_VAULT_TOKEN": ""}, "set RESERVO_VAULT_TOKEN"),
    ],
)
def test_a_vault_that_cannot_be_read_stops_the_start_naming_what_to_fix(
    vault: tuple[str, str], tmp_path: Path, change: dict[str, str], message: str
) -> None:
    key = secrets.token_urlsafe(32)
    write_secret(vault, "prod", {"RESERVO_SECRET_KEY": key})
    done = run(["migrate", "user"], {**reservo_env(tmp_path, vault, "prod"), **change})
    assert done.returncode == 2
    assert message in done.stderr
    assert key not in done.stderr + done.stdout


def test_keys_that_are_not_reservo_variables_are_refused(vault: tuple[str, str], tmp_path: Path) -> None:
    write_secret(vault, "odd", {"RESERVO_SECRET_KEY": "x" * 40, "PATH": "/evil"})
    done = run(["migrate", "user"], reservo_env(tmp_path, vault, "odd"))
    assert done.returncode == 2
    assert "not: PATH" in done.stderr
