"""Issue 14's pages in a real browser: the profile with account deletion and the platform admin's
console (frontend/e2e/run.mjs scenario `admin_console_and_profile`), against `reservo serve` with
the demo seed and an admin made by `reservo admin create`."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.web.test_browser import IN_CI, RESERVO, WEB, _free_port, _missing

ADMIN_EMAIL, ADMIN_PASSWORD = "root@platform.example", "a-long-admin-passphrase-42"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    problem = _missing()
    if problem:
        if IN_CI:
            pytest.fail(problem)
        pytest.skip(problem)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "RESERVO_DATA_DIR": str(tmp_path_factory.mktemp("web-admin")),
        "RESERVO_PUBLIC_URL": url,
        "RESERVO_LOG_LEVEL": "WARNING",
    }
    for command in (
        ["migrate"],
        ["seed"],
        ["admin", "create", "--email", ADMIN_EMAIL, "--name", "Root", "--password", ADMIN_PASSWORD],
    ):
        subprocess.run([*RESERVO, *command], env=env, check=True, capture_output=True, timeout=180)
    server = subprocess.Popen(
        [*RESERVO, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("reservo serve did not come up") from None
                time.sleep(0.3)  # polling a server that is starting up (asynchronous by design)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_profile_deletion_and_the_admin_console(admin_server: str) -> None:
    env = {
        **os.environ,
        "BASE_URL": admin_server,
        "ADMIN_EMAIL": ADMIN_EMAIL,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    result = subprocess.run(
        ["node", "e2e/run.mjs", "admin_console_and_profile"],
        cwd=WEB,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0 and "PASS admin_console_and_profile" in result.stdout, (
        result.stdout + result.stderr
    )
