"""Issue 14's pages in a real browser: the profile with account deletion and the platform admin's
console (frontend/e2e/run.mjs scenario `admin_console_and_profile`), against `reservo serve` with
the demo seed and an admin made by `reservo admin create`."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.web.test_browser import WEB, seeded_server

ADMIN_EMAIL, ADMIN_PASSWORD = "root@platform.example", "a-long-admin-passphrase-42"


@pytest.fixture(scope="module")
def admin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    admin = ["admin", "create", "--email", ADMIN_EMAIL, "--name", "Root", "--password", ADMIN_PASSWORD]
    with seeded_server(tmp_path_factory.mktemp("web-admin"), {}, ["migrate"], ["seed"], admin) as url:
        yield url


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
