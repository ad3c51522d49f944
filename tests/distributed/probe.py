"""A test-only service, `probe`, whose handler writes one row per event it applies: a random id,
so only the inbox stops a redelivered event from writing a second row. Run as a real worker:

    python -m tests.distributed.probe worker      (env: RESERVO_PROBE_DATABASE_URL, RESERVO_BUS=kafka ...)
    python -m tests.distributed.probe migrate     (creates its tables)
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, Uuid, insert
from sqlalchemy.ext.asyncio import create_async_engine

from reservo.platform.config import Settings
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext, ServiceSpec
from reservo.platform.worker import run_worker

EVENT = "probe.thing.happened"
metadata = MetaData(info={"service": "probe"})
effects = Table(
    "effects",
    metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", Uuid, nullable=False, unique=True),
    Column("event_id", Uuid, nullable=False),  # deliberately not unique: the inbox must do the work
    Column("key", String(100), nullable=False),
    Column("seq", Integer, nullable=False),
)


async def on_thing(event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
    await tx.session.execute(
        insert(effects).values(id=uuid.uuid4(), event_id=event.id, key=event.key, seq=event.data["seq"])
    )


def spec() -> ServiceSpec:
    from reservo.platform.events.tables import add_event_tables

    add_event_tables(metadata)
    return ServiceSpec(name="probe", port=0, metadata=metadata, handlers={EVENT: on_thing})


async def migrate(url: str) -> None:
    s = spec()
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(s.metadata.create_all)
    await engine.dispose()


if __name__ == "__main__":
    settings = Settings()
    if sys.argv[1] == "migrate":
        asyncio.run(migrate(settings.database_url_for("probe")))
    else:
        asyncio.run(run_worker([spec()], settings))
