"""Dead letters from the command line: list them, and replay them through the service's consumer."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from reservo.platform.config import Settings
from reservo.platform.runtime import Runtime
from reservo.platform.service import ServiceSpec


async def list_dead_letters(settings: Settings, specs: Sequence[ServiceSpec]) -> list[dict[str, Any]]:
    runtime = Runtime(settings, specs)
    out: list[dict[str, Any]] = []
    try:
        for name, ctx in runtime.contexts.items():
            dl = ctx.uow.tables.dead_letters
            async with ctx.uow.read() as session:
                rows = (
                    await session.execute(
                        select(dl).where(dl.c.replayed_at.is_(None)).order_by(dl.c.created_at)
                    )
                ).mappings()
                out.extend({"service": name, **dict(r)} for r in rows)
    finally:
        await runtime.stop()
    return out


async def replay_dead_letters(
    settings: Settings, spec: ServiceSpec, ids: Sequence[uuid.UUID] | None
) -> list[tuple[uuid.UUID, str]]:
    runtime = Runtime(settings, [spec])
    consumer = runtime.consumers.get(spec.name)
    results: list[tuple[uuid.UUID, str]] = []
    try:
        if consumer is None:
            raise LookupError(f"{spec.name} consumes no events")
        if ids is None:
            dl = runtime.uow(spec.name).tables.dead_letters
            async with runtime.uow(spec.name).read() as session:
                ids = list((await session.scalars(select(dl.c.id).where(dl.c.replayed_at.is_(None)))).all())
        for dl_id in ids:
            results.append((dl_id, await consumer.replay(dl_id)))
    finally:
        await runtime.stop()
    return results
