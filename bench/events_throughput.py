"""Events per second through outbox -> bus -> consumer (inbox + one effect row per event), on
PostgreSQL, with the Kafka bus and with the in-process bus.

    eval "$(scripts/services.sh env)"
    python bench/events_throughput.py [--n 5000] [--bus kafka|inprocess|both]

A producer service's outbox is filled with N committed events first; the clock runs from starting
the workers (relay, consumer) until the consumer's database holds N effect rows. Each event is one
inbox row + one effect row, as a real handler would write; a consumer batch (D15-4) takes a
partition's waiting events in one transaction and the handler's batch form (D15-6) inserts their
effect rows in one executemany (`--one-by-one`: one INSERT per event, as before).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import time
import uuid
from typing import Any

from _common import PG_URL, pg_execute
from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, func, insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from reservo.platform.config import Settings
from reservo.platform.db.uow import Transaction
from reservo.platform.events.bus import EventBus
from reservo.platform.events.consumer import Batched
from reservo.platform.events.envelope import Envelope, Event, register
from reservo.platform.events.inprocess import InProcessBus
from reservo.platform.events.kafka import KafkaBus, KafkaOptions
from reservo.platform.events.tables import add_event_tables
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceContext, ServiceSpec

KAFKA = os.environ.get("RESERVO_TEST_KAFKA_BOOTSTRAP", "127.0.0.1:59092")


@register
class Happened(Event):
    TYPE = "benchsrc.thing.happened"
    id: uuid.UUID
    seq: int


src_meta = MetaData(info={"service": "benchsrc"})
add_event_tables(src_meta)
sink_meta = MetaData(info={"service": "benchsink"})
add_event_tables(sink_meta)
effects = Table(
    "effects",
    sink_meta,
    Column("id", Uuid, primary_key=True),
    Column("key", String(100)),
    Column("seq", Integer),
)


def _effect(event: Envelope[Any]) -> dict[str, Any]:
    return {"id": uuid.uuid4(), "key": event.key, "seq": event.data.seq}


async def on_happened(event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
    await tx.session.execute(insert(effects).values(**_effect(event)))


async def on_happened_many(events: list[Envelope[Any]], tx: Transaction, ctx: ServiceContext) -> None:
    """The batch form (D15-6): a consumer batch's run of events as one executemany."""
    await tx.session.execute(insert(effects), [_effect(e) for e in events])


SPECS = [
    ServiceSpec(name="benchsrc", port=0, metadata=src_meta),
    ServiceSpec(
        name="benchsink",
        port=0,
        metadata=sink_meta,
        handlers={Happened.TYPE: Batched(on_happened, on_happened_many)},
    ),
]
ONE_BY_ONE = [SPECS[0], dataclasses.replace(SPECS[1], handlers={Happened.TYPE: on_happened})]


async def _databases(run: str) -> str:
    base = PG_URL.rsplit("/", 1)[0]
    await pg_execute(*(f'CREATE DATABASE "bench_{run}_{spec.name}"' for spec in SPECS))
    url = base.replace("postgresql://", "postgresql+asyncpg://") + f"/bench_{run}_{{service}}"
    for spec in SPECS:
        engine = create_async_engine(url.replace("{service}", spec.name))
        async with engine.begin() as conn:
            await conn.run_sync(spec.metadata.create_all)
        await engine.dispose()
    return url


async def _drop(run: str) -> None:
    await pg_execute(*(f'DROP DATABASE IF EXISTS "bench_{run}_{spec.name}" WITH (FORCE)' for spec in SPECS))


async def one_run(kind: str, n: int, specs: list[ServiceSpec]) -> tuple[float, float]:
    """(events/s from starting the workers, events/s after the first 10% arrived: steady state)."""
    run = uuid.uuid4().hex[:8]
    url = await _databases(run)
    settings = Settings(database_url=url, environment="test", log_level="WARNING", relay_poll_seconds=0.05)
    bus: EventBus = (
        KafkaBus(KafkaOptions(KAFKA, topic_prefix=f"bench{run}.", partitions=6))
        if kind == "kafka"
        else InProcessBus()
    )
    runtime = Runtime(settings, specs, bus=bus)
    try:
        keys = [str(uuid.uuid4()) for _ in range(200)]
        src = runtime.uow("benchsrc")
        for start in range(0, n, 1000):
            async with src.transaction() as tx:
                for i in range(start, min(start + 1000, n)):
                    tx.publish(Happened(id=uuid.UUID(keys[i % 200]), seq=i), tenant_id=None)
        sink = runtime.uow("benchsink")
        began = time.perf_counter()
        await runtime.start(workers=True)
        tenth: tuple[float, int] | None = None
        while True:
            async with sink.read() as session:
                done = await session.scalar(select(func.count()).select_from(effects)) or 0
            if tenth is None and done >= n // 10:
                tenth = (time.perf_counter(), done)
            if done >= n:
                break
            await asyncio.sleep(0.05)
        end = time.perf_counter()
        assert tenth is not None
        return n / (end - began), (n - tenth[1]) / (end - tenth[0])
    finally:
        await runtime.stop()
        await _drop(run)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--bus", choices=["kafka", "inprocess", "both"], default="both")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--one-by-one", action="store_true", help="the handler without its batch form (one INSERT per event)"
    )
    args = parser.parse_args()
    specs = ONE_BY_ONE if args.one_by_one else SPECS
    for kind in ("inprocess", "kafka") if args.bus == "both" else (args.bus,):
        rates = [await one_run(kind, args.n, specs) for _ in range(args.runs)]
        total = ", ".join(f"{t:.0f}" for t, _ in rates)
        steady = ", ".join(f"{s:.0f}" for _, s in rates)
        print(f"{kind:10s} N={args.n}: from start {total} events/s; steady state {steady} events/s")


if __name__ == "__main__":
    asyncio.run(main())
