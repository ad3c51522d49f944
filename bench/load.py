"""The Locust scenario against the distributed shape: how many concurrent customers it holds.

    make bench-load                                   # installs Locust into .venv-locust, then this
    .venv/bin/python bench/load.py --users 10,20,40,80,160 --step-seconds 30

It starts the distributed shape as `make run-distributed` does (scripts/run-distributed.sh: every
service as its own API and worker process on PostgreSQL, Kafka and Redis, behind nginx) on a port of
its own, with two settings changed for a load test from one address: the gateway's per-address rate
limit is off (GATEWAY_RATE='') and so is booking's limit of unpaid holds per address. Then, for each
step, Locust runs bench/locust/locustfile.py headless with that many users for `--step-seconds`
(each user: browse → offering → availability → book → pay with the test card, 1 to 3 s of thought
between visits). A step is held when p95 over every request is under 500 ms and nothing failed;
the run stops at the first step that is not held. For each step it prints requests/s, p50/p95,
failures, and the CPU taken during the step by each group of processes (the services' APIs and
workers, PostgreSQL, Kafka, Redis, nginx, and Locust itself): on this machine that shows what
limits the number of users.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
LOCUST = ROOT / ".venv-locust" / "bin" / "locust"
P95_LIMIT_MS = 500.0


def group_of(proc: psutil.Process) -> str | None:
    """The group a process's CPU counts for, or None for processes outside the run."""
    try:
        line = " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    if "locust" in line and "locustfile" in line:
        return "locust (load generator)"
    if "reservo serve" in line:
        return "service APIs"
    if "reservo worker" in line:  # each service's worker apart: where the events' work goes
        return "worker " + line.split("reservo worker", 1)[1].split()[0]
    if "gateway-meta" in line:
        return "gateway companion"
    if "nginx" in line:
        return "nginx"
    if line.startswith("postgres") or "/postgres" in line.split(" ")[0]:
        return "PostgreSQL"
    if "kafka.Kafka" in line:
        return "Kafka"
    if "redis-server" in line:
        return "Redis"
    return None


def cpu_by_group() -> dict[str, float]:
    totals: dict[str, float] = {}
    for proc in psutil.process_iter():
        group = group_of(proc)
        if group is None:
            continue
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        totals[group] = totals.get(group, 0.0) + times.user + times.system
    return totals


@dataclass
class Step:
    users: int
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    book_p95: float
    cpu: dict[str, float]  # cores used during the step, by group
    seconds: float

    @property
    def held(self) -> bool:
        return self.failures == 0 and self.requests > 0 and self.p95 < P95_LIMIT_MS


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def start_shape(port: int, run_dir: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GATEWAY_PORT": str(port),
        "GATEWAY_RATE": "",
        "RUN_DIR": str(run_dir),
        "RESERVO_KAFKA_TOPIC_PREFIX": "load.",  # one set of topics for every load run, not a pile
        "RESERVO_BOOKING_MAX_HOLDS_PER_CLIENT": "1000000",
    }
    log = (run_dir / "run-distributed.log").open("wb")
    process = subprocess.Popen(
        ["scripts/run-distributed.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 900
    print(
        f"starting the distributed shape on :{port} (log: {run_dir / 'run-distributed.log'}) ...", flush=True
    )
    # Start-up is asynchronous by design: twenty processes and their migrations come up one by one.
    while not ready(f"http://127.0.0.1:{port}/readyz"):
        if process.poll() is not None:
            sys.exit(f"the distributed shape exited; see {run_dir / 'run-distributed.log'}")
        if time.monotonic() > deadline:
            stop_shape(process)
            sys.exit("the distributed shape did not become ready in 15 minutes")
        time.sleep(1)
    return process


def stop_shape(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)  # the script's trap stops every process it started
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_step(port: int, users: int, seconds: int, folder: Path) -> Step:
    prefix = folder / f"u{users}"
    before, t0 = cpu_by_group(), time.monotonic()
    locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [
            str(LOCUST),
            "-f",
            str(ROOT / "bench" / "locust" / "locustfile.py"),
            "--host",
            f"http://127.0.0.1:{port}",
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        check=False,  # locust exits 1 when a request failed; the figures below say so
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.monotonic() - t0
    after = cpu_by_group()
    cpu = {group: (after[group] - before.get(group, 0.0)) / elapsed for group in after}
    locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # Locust has exited: its CPU is a child's
    cpu["locust (load generator)"] = (
        locust_after.ru_utime + locust_after.ru_stime - locust_before.ru_utime - locust_before.ru_stime
    ) / elapsed
    rows = {row["Name"]: row for row in csv.DictReader((folder / f"u{users}_stats.csv").open())}
    total, book = rows["Aggregated"], rows.get("book", {})
    return Step(
        users=users,
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        book_p95=float(book.get("95%") or "nan"),
        cpu=cpu,
        seconds=elapsed,
    )


def idle(seconds: float) -> dict[str, float]:
    """Cores each group uses with no request at all: what the run costs before the first user."""
    before = cpu_by_group()
    time.sleep(seconds)
    after = cpu_by_group()
    return {group: (after[group] - before.get(group, 0.0)) / seconds for group in after}


def show(cpu: dict[str, float]) -> str:
    top = ", ".join(f"{g} {c:.2f}" for g, c in sorted(cpu.items(), key=lambda kv: -kv[1]) if c >= 0.01)
    return f"{top} (total {sum(cpu.values()):.2f} of {psutil.cpu_count()})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", default="10,20,40,80,160", help="users per step, in order")
    parser.add_argument("--step-seconds", type=int, default=30)
    parser.add_argument("--port", type=int, default=18280, help="the gateway's port for this run")
    parser.add_argument("--host", help="an already running Reservo (skips starting the distributed shape)")
    args = parser.parse_args()
    if not LOCUST.exists():
        sys.exit("Locust is not installed: make bench-load (it installs .venv-locust)")
    folder = Path(tempfile.mkdtemp(prefix="reservo-load-"))
    process = None if args.host else start_shape(args.port, folder)
    port = int(args.host.rsplit(":", 1)[1]) if args.host else args.port
    steps: list[Step] = []
    try:
        print(f"   0 users (idle, 15 s)\n      cores used: {show(idle(15))}", flush=True)
        for users in (int(u) for u in args.users.split(",")):
            step = run_step(port, users, args.step_seconds, folder)
            steps.append(step)
            print(
                f"{users:>4} users: {step.rps:6.1f} req/s  p50 {step.p50:5.0f} ms  p95 {step.p95:5.0f} ms "
                f"(book {step.book_p95:.0f})  failures {step.failures}/{step.requests}  "
                f"{'held' if step.held else 'NOT held'}\n      cores used: {show(step.cpu)}",
                flush=True,
            )
            if not step.held:
                break
    finally:
        if process is not None:
            stop_shape(process)
    held = [s.users for s in steps if s.held]
    print(
        f"\nheld with p95 < {P95_LIMIT_MS:.0f} ms and no failure: {max(held) if held else 0} users; CSVs in {folder}"
    )


if __name__ == "__main__":
    main()
