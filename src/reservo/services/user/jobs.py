"""Housekeeping: forget spent credentials once nothing can use them any more."""

from __future__ import annotations

from datetime import timedelta

from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.services.user.repository import Credentials

# Expired refresh tokens are kept a week: a stolen copy presented soon after expiry still finds
# its row (401 either way); after that a presented token is simply unknown (also 401).
GRACE = timedelta(days=7)


async def purge_expired(ctx: ServiceContext) -> int:
    now = ctx.clock.now()
    async with ctx.uow.transaction() as tx:
        removed = await Credentials(tx.session).purge(now - GRACE, now - timedelta(days=1))
    return removed


JOBS = (PeriodicJob("purge_expired", every_seconds=3600.0, run=purge_expired),)
