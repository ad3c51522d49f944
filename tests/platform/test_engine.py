"""The PostgreSQL pool without pre-ping (D15-13): a connection the server closed is replaced at
checkout, without a round trip and without failing the request that would have used it."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text

from reservo.platform.db.engine import make_engines
from tests.conftest import IN_CI, PG_URL
from tests.support.polling import eventually

pytestmark = pytest.mark.postgres


async def test_a_pooled_connection_the_server_closed_is_replaced_at_checkout() -> None:
    try:
        admin = await asyncpg.connect(PG_URL, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        if IN_CI:
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc!r}")
    engine = make_engines(PG_URL.replace("postgresql://", "postgresql+asyncpg://", 1), pool_size=1).writer
    try:
        async with engine.connect() as conn:
            first = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
        # What a restart or an idle timeout does to a pooled connection.
        await admin.execute("SELECT pg_terminate_backend($1)", first)

        async def noticed() -> bool:
            return bool(driver.is_closed())

        await eventually(noticed, 5, 0.01, "the driver noticing the closed socket")
        async with engine.connect() as conn:
            again = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert again != first, "a new connection served the statement; none failed"
    finally:
        await engine.dispose()
        await admin.close()
