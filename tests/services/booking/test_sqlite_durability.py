"""The embedded default (SQLite, one `reservo serve` process): a booking that answered 201 is on disk,
with its capacity claim and its outbox row, even when the process is killed (SIGKILL) right after the
answer (D15-60, D15-62). synchronous=NORMAL in WAL mode hands the commit to the kernel before COMMIT
returns; the fast path answers only after its COMMIT returned."""

from __future__ import annotations

import os
import signal
import sqlite3
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import httpx

from tests.distributed.procs import RESERVO, TEST_DEFAULTS, Proc, cluster, free_port

SERVICES = ("user", "catalog", "booking")


def _owner(base: str) -> dict[str, str]:
    """A tenant `shop` whose owner's token is returned as headers."""
    account = {"email": "owner@shop.example", "password": "correct horse battery", "name": "Owner"}
    pair = httpx.post(f"{base}/api/v1/auth/register", json=account, timeout=30).json()
    tenant = {"name": "Shop", "slug": "shop", "timezone": "Europe/Berlin", "currency": "EUR"}
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    made = httpx.post(f"{base}/api/v1/tenants", json=tenant, headers=headers, timeout=30)
    assert made.status_code == 201, made.text
    refresh = {"refresh_token": pair["refresh_token"]}
    fresh = httpx.post(f"{base}/api/v1/auth/refresh", json=refresh, timeout=30).json()
    return {"Authorization": f"Bearer {fresh['access_token']}"}


def test_bookings_that_answered_201_survive_a_sigkill_of_the_process(tmp_path: Path) -> None:
    env = {
        "RESERVO_DATA_DIR": str(tmp_path / "data"),
        "RESERVO_DATABASE_URL": "",
        "RESERVO_REDIS_URL": "",
        "RESERVO_BUS": "inprocess",
        "RESERVO_ENVIRONMENT": "test",
    }
    with cluster(tmp_path, env) as c:
        c.migrate(*SERVICES)
        port = free_port()
        argv = [RESERVO, "serve", *SERVICES, "--port", str(port)]
        serve = Proc("serve", argv, {**os.environ, **TEST_DEFAULTS, **env}, tmp_path / "serve.log", port)
        c.procs.append(serve.start())
        serve.wait_http()
        owner = _owner(serve.url)
        product = {
            "kind": "product",
            "name": "Mug",
            "price": {"amount": 1200, "currency": "EUR"},
            "stock": 30,
        }
        offering = httpx.post(
            f"{serve.url}/api/v1/tenants/shop/offerings", json=product, headers=owner, timeout=30
        ).json()

        def book(n: int) -> httpx.Response:
            body = {
                "offering_id": offering["id"],
                "quantity": 1,
                "customer": {"name": "Guest", "email": f"guest{n}@example.test"},
            }
            return httpx.post(f"{serve.url}/api/v1/tenants/shop/bookings", json=body, timeout=30)

        assert book(0).status_code == 201  # the usual path: the offering parsed, the counter made
        with ThreadPoolExecutor(8) as pool:  # then the fast path, several at once
            answers = list(pool.map(book, range(1, 41)))
        _sigkill(serve)  # at once after the last answer: no shutdown, no checkpoint

    outcomes = Counter((a.status_code, a.json().get("code")) for a in answers)
    assert outcomes == {(201, None): 29, (409, "sold_out"): 11}, outcomes
    answered = {uuid.UUID(a.json()["id"]) for a in answers if a.status_code == 201}
    with closing(sqlite3.connect(tmp_path / "data" / "booking.db")) as db:
        stored = {uuid.UUID(row[0]) for row in db.execute("SELECT id FROM bookings")}
        assert answered < stored and len(stored) == 30
        assert db.execute("SELECT taken, capacity FROM capacity_counters").fetchall() == [(30, 30)]
        keys = {
            uuid.UUID(row[0]) for row in db.execute("SELECT key FROM outbox WHERE type = 'booking.created'")
        }
        assert keys == stored


def _sigkill(proc: Proc) -> None:
    proc.send(signal.SIGKILL)
    assert proc.popen is not None
    assert proc.popen.wait(10) == -signal.SIGKILL
