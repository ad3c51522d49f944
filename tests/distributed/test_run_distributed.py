"""`scripts/run-distributed.sh`, as an operator sees it: a busy gateway port is an error, progress
and the ports are printed, a crashed process is restarted and named, Ctrl-C says why the run stopped
and that the engines keep running, log files carry no colour codes, nothing is left in /tmp."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.distributed.procs import free_port
from tests.support.kafka import delete_topics
from tests.support.offerings import product

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = str(ROOT / "scripts" / "run-distributed.sh")
pytestmark = [pytest.mark.slow, pytest.mark.kafka, pytest.mark.postgres, pytest.mark.redis]


def test_a_busy_gateway_port_is_an_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [SCRIPT, "catalog"],
            env={**os.environ, "GATEWAY_PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"gateway port 127.0.0.1:{port} is busy" in done.stderr


def test_a_crashed_process_is_restarted_and_ctrl_c_says_why_it_stopped(
    kafka_bootstrap: str, redis_url: str
) -> None:
    """Also: the services of the run find each other (a tenant's first offering is created at once,
    catalog asking user about the tenant its replica has not seen yet)."""
    run_dir = Path(tempfile.mkdtemp(prefix="reservo-rd-test-", dir="/var/tmp"))
    before = set(Path("/tmp").glob("reservo-distributed-*"))
    prefix = f"rd{os.getpid()}."
    env = {
        **os.environ,
        "GATEWAY_PORT": str(free_port()),
        "RUN_DIR": str(run_dir),
        "RESERVO_KAFKA_TOPIC_PREFIX": prefix,
    }
    log = run_dir / "out.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [SCRIPT, "user", "catalog"],
            env=env,
            stdout=out,
            stderr=out,
            start_new_session=True,
            # As in a terminal: a runner started in the background (`cmd &` in a script) passes SIGINT
            # down ignored, and bash cannot trap a signal ignored on entry.
            preexec_fn=_ctrl_c_as_in_a_terminal,
        )
    try:
        _wait_for(log, "reservo: ready in", proc)
        text = log.read_text()
        for name in ("serve-catalog", "worker-catalog", "gateway", "gateway-meta"):  # progress, and the ports
            assert f"{name} up (" in text and f"{name}.log" in text, name
        assert "keep running" in text
        _first_offering_at_once(f"http://127.0.0.1:{env['GATEWAY_PORT']}")
        worker = int(
            subprocess.run(
                ["pgrep", "-f", "reservo worker catalog --health-port"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[0]
        )
        os.kill(worker, signal.SIGKILL)
        _wait_for(log, "worker-catalog exited (code 137); restarting it (1/3", proc)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(60) == 130
        text = log.read_text()
        assert "stopped (Ctrl-C). The engines keep running: scripts/services.sh status | down" in text
        assert (
            "\x1b["
            not in (run_dir / "logs" / "serve-catalog.log").read_text()
            + (run_dir / "logs" / "worker-catalog.log").read_text()
        )
        assert (run_dir / "keys").stat().st_mode & 0o777 == 0o700 and list((run_dir / "keys").glob("*.json"))
        assert set(Path("/tmp").glob("reservo-distributed-*")) == before
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(60)
        shutil.rmtree(run_dir, ignore_errors=True)
        asyncio.run(delete_topics(kafka_bootstrap, prefix))


def _ctrl_c_as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _first_offering_at_once(gateway: str) -> None:
    with httpx.Client(base_url=gateway, timeout=15) as http:
        slug = f"rd{uuid.uuid4().hex[:8]}"  # the run's databases are kept between runs
        account = {"email": f"owner@{slug}.example", "password": "correct horse battery", "name": "Owner"}
        registered = http.post("/api/v1/auth/register", json=account)
        assert registered.status_code == 201, registered.text
        tenant = {"name": "RD", "slug": slug, "timezone": "Europe/Berlin", "currency": "EUR"}
        bearer = {"Authorization": f"Bearer {registered.json()['access_token']}"}
        created = http.post("/api/v1/tenants", json=tenant, headers=bearer)
        assert created.status_code == 201, created.text
        owner = {"Authorization": f"Bearer {created.json()['access_token']}"}
        offering = http.post(f"/api/v1/tenants/{slug}/offerings", json=product(3), headers=owner)
        assert offering.status_code == 201, offering.text


def _wait_for(log: Path, text: str, proc: subprocess.Popen[bytes], timeout: float = 400) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text():
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.5)
