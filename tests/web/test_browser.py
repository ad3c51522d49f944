"""The web app in a real browser: Debian's chromium driven by playwright-core (frontend/e2e/run.mjs)
against a real all-in-one `reservo serve` on a fresh data folder with the demo seed.

Needs the built app (`make web`), its node_modules and /usr/bin/chromium; without them the tests
skip, except under CI=true where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "frontend"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
RESERVO = [str(Path(sys.executable).with_name("reservo"))]


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"chromium not found at {CHROMIUM} (scripts/services.sh install)"
    if not (WEB / "node_modules" / "playwright-core").is_dir():
        return "frontend/node_modules missing (make web-install)"
    if not (WEB / "dist" / "index.html").is_file():
        return "the web app is not built (make web)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def seeded_server(folder: Path, env: dict[str, str], *commands: list[str]) -> Iterator[str]:
    """`reservo serve` on a fresh data folder after `commands` (migrate, seed, ...); yields its URL.
    Skips without node/chromium/the built app, except under CI=true where that fails."""
    problem = _missing()
    if problem:
        if IN_CI:
            pytest.fail(problem)
        pytest.skip(problem)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "RESERVO_DATA_DIR": str(folder),
        "RESERVO_PUBLIC_URL": url,
        "RESERVO_LOG_LEVEL": "WARNING",
        **env,
    }
    for command in commands:
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


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {
        "RESERVO_USER_AUTH_IP_LIMIT": "1000",  # every browser context signs up from 127.0.0.1
        "RESERVO_BOOKING_MAX_HOLDS_PER_CLIENT": "1000",  # ... and every guest holds from it too
    }
    with seeded_server(tmp_path_factory.mktemp("web-e2e"), env, ["migrate"], ["seed"]) as url:
        yield url


def _run(base_url: str, scenario: str) -> None:
    result = subprocess.run(
        ["node", "e2e/run.mjs", scenario],
        cwd=WEB,
        env={**os.environ, "BASE_URL": base_url, "CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0 and f"PASS {scenario}" in result.stdout, result.stdout + result.stderr


def test_guest_finds_the_demo_offering_books_and_pays(base_url: str) -> None:
    _run(base_url, "guest_pays")


def test_declined_card_shows_the_message_and_the_retry_succeeds(base_url: str) -> None:
    _run(base_url, "declined_then_retry")


def test_customer_registers_books_sees_it_in_my_bookings_and_cancels(base_url: str) -> None:
    _run(base_url, "customer_registers_books_cancels")


def test_owner_creates_a_weekly_offering_and_sees_a_new_booking(base_url: str) -> None:
    _run(base_url, "owner_creates_offering_sees_booking")


def test_guest_flow_on_a_phone_390_by_844(base_url: str) -> None:
    _run(base_url, "guest_pays_mobile")


def test_main_pages_have_no_serious_or_critical_axe_violations(base_url: str) -> None:
    _run(base_url, "accessibility")


def test_three_d_secure_approved_on_the_bank_page_confirms_the_booking(base_url: str) -> None:
    _run(base_url, "three_d_secure")
