"""Periodic work of the analytics service: purge raw events older than each tenant's retention."""

from __future__ import annotations

from datetime import timedelta

from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.services.analytics.repository import all_settings, purge_before
from reservo.services.analytics.settings import AnalyticsSettings


async def purge(ctx: ServiceContext) -> int:
    """Aggregates stay; raw events (the only place a visitor's details could be) go."""
    settings = ctx.settings_of(AnalyticsSettings)
    now = ctx.clock.now()
    purged = 0
    async with ctx.uow.transaction() as tx:
        for config in await all_settings(tx.session):
            purged += await purge_before(
                tx.session, config.tenant_id, now - timedelta(days=config.retention_days)
            )
        default = now - timedelta(days=settings.default_retention_days)
        purged += await purge_before(tx.session, None, default, others=True)
    return purged


PURGE = PeriodicJob(name="purge", every_seconds=AnalyticsSettings().purge_every_seconds, run=purge)
