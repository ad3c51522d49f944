"""Issue 9 items 2 and 13: schemathesis over every operation of the all-in-one app, anonymous and as a
tenant owner, with its conformance checks on. Zero 5xx, every status code, content type, header and
body as the OpenAPI description says.

The app runs under uvicorn on a free port (its own event loop in a thread) on SQLite, with a tenant
`demo` and one offering of each kind, so the run reaches the handlers instead of stopping at 404.
schemathesis runs as its CLI with a fixed seed, one worker and no example database: the same cases
every time. Run time on the shared 2-core machine: about a minute per principal.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from reservo.app import create_app
from reservo.platform.config import Settings
from reservo.platform.runtime import Runtime
from reservo.services import REGISTRY
from reservo.services.user.settings import UserSettings
from tests.conftest import OFFERING_EXAMPLES

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = os.environ.get("RESERVO_CONFORMANCE_EXAMPLES", "12")


@dataclass
class LiveApp:
    url: str
    owner: str  # an access token of the owner of tenant `demo`
    offerings: dict[str, str]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[LiveApp]:
    folder = tmp_path_factory.mktemp("conformance")
    for db in sqlite_template.glob("*.db"):
        shutil.copy(db, folder / db.name)
    settings = Settings(
        data_dir=folder,
        environment="test",
        log_level="CRITICAL",
        relay_poll_seconds=0.1,
    )
    # The run signs up and logs in thousands of times from one address: limits would only
    # answer 429 (documented) and hide the handlers behind them.
    limits = UserSettings(auth_ip_limit=10**6, auth_account_limit=10**6)
    runtime = Runtime(settings, list(REGISTRY), service_settings={"user": limits})
    app = create_app(list(REGISTRY), settings, runtime=runtime)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the app did not start"
        time.sleep(0.05)
    try:
        yield _seed(f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _seed(url: str) -> LiveApp:
    """A real owner account, its tenant `demo`, an offering of each kind (plus one for the delete and
    archive operations to destroy) and a guest booking."""
    with httpx.Client(base_url=url, timeout=30) as client:
        account = {"email": "owner@demo.test", "password": "a long conformance passphrase", "name": "Owner"}
        pair = client.post("/api/v1/auth/register", json=account).json()
        client.headers["Authorization"] = f"Bearer {pair['access_token']}"
        body = {"name": "Demo", "slug": "demo", "timezone": "Europe/Berlin", "currency": "EUR"}
        assert client.post("/api/v1/tenants", json=body).status_code == 201
        pair = client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}).json()
        client.headers["Authorization"] = f"Bearer {pair['access_token']}"
        ids: dict[str, str] = {}
        kinds = [
            ("service", "Haircut"),
            ("event", "Jazz night"),
            ("product", "Gift box"),
            ("victim", "Doomed"),
        ]
        for key, name in kinds:
            kind = "product" if key == "victim" else key
            offering = {"kind": kind, "name": name, "price": {"amount": 2500, "currency": "EUR"}}
            deadline = time.monotonic() + 15
            while True:  # the catalog learns the tenant from the user service's event
                response = client.post(
                    "/api/v1/tenants/demo/offerings", json={**offering, **OFFERING_EXAMPLES[kind]}
                )
                if response.status_code == 201 or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            assert response.status_code == 201, response.text
            ids[key] = response.json()["id"]
        deadline = time.monotonic() + 15
        guest = {"name": "Ann", "email": "ann@example.test"}
        while True:  # booking learns the offering from the catalog's event
            response = client.post(
                "/api/v1/tenants/demo/bookings",
                json={"offering_id": ids["product"], "quantity": 1, "customer": guest},
            )
            if response.status_code == 201:
                break
            assert time.monotonic() < deadline, response.text
            time.sleep(0.1)
        ids["booking"] = response.json()["id"]
        return LiveApp(url, pair["access_token"], ids)


def _schemathesis(app: LiveApp, tmp_path: Path, *headers: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[parameters]\n"
        '"path.tenant" = "demo"\n'
        f'"path.offering_id" = "{app.offerings["service"]}"\n'
        '"path.service" = "booking"\n'
        f'"path.booking_id" = "{app.offerings["booking"]}"\n'
        # Deleting and archiving would take the offering every other operation reads.
        "[[operations]]\n"
        'include-path-regex = "/offerings/\\\\{offering_id\\\\}(/archive)?$"\n'
        'include-method-regex = "DELETE|POST|PATCH"\n'
        f'parameters = {{ "path.offering_id" = "{app.offerings["victim"]}" }}\n'
    )
    command = [
        str(Path(sys.executable).with_name("st")),
        "--config-file",
        str(config),
        "run",
        f"{app.url}/openapi.json",
        "--checks",
        CHECKS,
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        "20261130",
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing",
        "--generation-database",
        "none",
        "--request-timeout",
        "20",
        "--no-color",
        *[part for h in headers for part in ("-H", h)],
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False)


def _assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    summary: Any = result.stdout[-3000:]
    print(result.stdout[-6000:])  # shown with -s or on failure: what the run reached
    assert result.returncode == 0, (
        f"schemathesis found failures:\n{result.stdout[-20000:]}\n{result.stderr[-2000:]}"
    )
    assert "passed" in summary, summary


def test_anonymous_caller_gets_only_documented_answers(live_app: LiveApp, tmp_path: Path) -> None:
    _assert_clean(_schemathesis(live_app, tmp_path))


def test_tenant_owner_gets_only_documented_answers(live_app: LiveApp, tmp_path: Path) -> None:
    _assert_clean(_schemathesis(live_app, tmp_path, f"Authorization: Bearer {live_app.owner}"))
