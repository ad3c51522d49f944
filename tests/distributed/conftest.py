"""Engines for distributed tests: real Kafka and Redis from scripts/services.sh (env RESERVO_TEST_*).

Without an engine its tests skip, except under CI=true, where they fail (as for PostgreSQL in
tests/conftest.py). Everything a test creates on a shared engine carries a random run id: topic and
consumer-group prefixes on Kafka, key prefixes on Redis.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator

import pytest

from tests.conftest import IN_CI
from tests.support.kafka import delete_topics

KAFKA_BOOTSTRAP = os.environ.get("RESERVO_TEST_KAFKA_BOOTSTRAP", "127.0.0.1:59092")
REDIS_URL = os.environ.get("RESERVO_TEST_REDIS_URL", "redis://127.0.0.1:56379/0")


def _reachable(host_port: str) -> bool:
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


def _require(ok: bool, what: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(f"{what} not reachable (CI=true: engines are required)")
        pytest.skip(f"{what} not reachable; start it with scripts/services.sh up")


@pytest.fixture
def kafka_bootstrap() -> str:
    _require(_reachable(KAFKA_BOOTSTRAP), f"Kafka at {KAFKA_BOOTSTRAP}")
    return KAFKA_BOOTSTRAP


@pytest.fixture
def nginx_bin() -> str:
    """The gateway binary (scripts/services.sh install puts nginx-light there)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    _require(found is not None, "nginx")
    return str(found)


@pytest.fixture
async def topic_prefix() -> AsyncIterator[str]:
    """A prefix no other test run uses: fresh topics and consumer groups, deleted afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}."
    yield prefix
    if _reachable(KAFKA_BOOTSTRAP):
        await delete_topics(KAFKA_BOOTSTRAP, prefix)


@pytest.fixture
def redis_url() -> str:
    hostport = REDIS_URL.split("://", 1)[1].split("/", 1)[0]
    _require(_reachable(hostport), f"Redis at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
async def redis_prefix(redis_url: str) -> AsyncIterator[str]:
    """A key prefix for this test; its keys are deleted afterwards."""
    import redis.asyncio as aioredis

    prefix = f"t{uuid.uuid4().hex[:10]}:"
    yield prefix
    client = aioredis.from_url(redis_url)
    try:
        keys = [k async for k in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
def backend() -> str:
    """Distributed tests run on PostgreSQL only: the distributed shape's database."""
    return "postgres"
