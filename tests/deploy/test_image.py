"""The image, built for real without a Docker engine (scripts/image.sh: debootstrap base cached
outside the repository, `buildah bud` of deploy/Dockerfile) and run with `buildah run` on the host
network: it migrates, seeds, serves, answers /readyz and takes a booking. Built once per test run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI, PG_URL, _blocking, _pg_execute
from tests.distributed.procs import free_port

ROOT = Path(__file__).resolve().parents[2]
IMAGE_SH = str(ROOT / "scripts" / "image.sh")
pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def _image(*args: str, env: dict[str, str] | None = None, timeout: float = 900) -> str:
    done = subprocess.run(
        [IMAGE_SH, *args], capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})}
    )
    assert done.returncode == 0, f"image.sh {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def image() -> str:
    missing = [tool for tool in ("buildah", "debootstrap") if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} missing: scripts/services.sh install buildah"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    _image("build", timeout=1500)
    return "localhost/reservo:dev"


@pytest.fixture
def databases() -> Iterator[str]:
    run = uuid.uuid4().hex[:8]
    from reservo.services import NAMES

    for name in NAMES:
        _blocking(_pg_execute(f'CREATE DATABASE "reservo_img_{run}_{name}"'))
    base = PG_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    yield f"{base}/reservo_img_{run}_{{service}}"
    for name in NAMES:
        _blocking(_pg_execute(f'DROP DATABASE IF EXISTS "reservo_img_{run}_{name}" WITH (FORCE)'))


def test_the_image_runs_as_a_user_without_dev_dependencies_serves_the_web_app_and_takes_a_booking(
    image: str, databases: str, tmp_path: Path
) -> None:
    assert _image("user").strip() == "reservo"
    port = free_port()
    env = {
        "RESERVO_DATABASE_URL": databases,
        "RESERVO_ENVIRONMENT": "development",
        "RESERVO_LOG_LEVEL": "WARNING",
    }
    # One container (each costs a full copy of the image with vfs): look inside, migrate, seed, serve.
    script = (
        'id -u; python -c "import importlib.util as u;'
        " print([m for m in ('pytest','ruff','mypy','hypothesis') if u.find_spec(m)])\";"
        " ls /opt/reservo/lib/python3.11/site-packages/reservo/__pycache__ | grep -c pyc;"
        f" reservo migrate && reservo seed && exec reservo serve --host 127.0.0.1 --port {port}"
    )
    log_path = tmp_path / "image.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [IMAGE_SH, "exec", "sh", "-c", script], env={**os.environ, **env}, stdout=log, stderr=log
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while not _ready(url):
            assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        uid, dev, compiled = log_path.read_text().splitlines()[:3]
        assert (uid, dev) == ("10001", "[]"), log_path.read_text()  # non-root, no dev dependency
        assert int(compiled) > 0  # bytecode compiled at build time: no process compiles its imports
        offerings = httpx.get(url + "/api/v1/tenants/demo/offerings", timeout=10).json()["items"]
        product = next(o for o in offerings if o["kind"] == "product")
        booked = httpx.post(
            url + "/api/v1/tenants/demo/bookings",
            json={
                "offering_id": product["id"],
                "quantity": 1,
                "customer": {"name": "Ann", "email": "ann@example.com"},
            },
            timeout=10,
        )
        assert booked.status_code == 201, booked.text
        # The web app ships in the image: a client route gets the app's page, its script is there.
        page = httpx.get(url + "/t/demo", timeout=10)
        assert page.status_code == 200 and 'id="root"' in page.text, page.text[:300]
        asset = re.search(r'src="(/assets/[^"]+\.js)"', page.text)
        assert asset is not None and httpx.get(url + asset.group(1), timeout=10).status_code == 200
    finally:
        server.terminate()
        server.wait(60)


def _ready(url: str) -> bool:
    try:
        return httpx.get(url + "/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
