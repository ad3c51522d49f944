"""Housekeeping: forget spent credentials once nothing can use them any more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from reservo.platform.service import PeriodicJob, ServiceContext
from reservo.services.user.models import OAuthState, OneTimeToken, RefreshToken

# Expired refresh tokens are kept a week: a stolen copy presented soon after expiry still finds
# its row (401 either way); after that a presented token is simply unknown (also 401).
GRACE = timedelta(days=7)


async def purge_expired(ctx: ServiceContext) -> int:
    now = ctx.clock.now()
    removed = 0
    async with ctx.uow.transaction() as tx:
        for stmt in (
            delete(RefreshToken).where(RefreshToken.expires_at < now - GRACE),
            delete(OneTimeToken).where(OneTimeToken.expires_at < now - GRACE),
            delete(OAuthState).where(OAuthState.expires_at < now - timedelta(days=1)),
        ):
            result = await tx.session.execute(stmt)
            removed += int(result.rowcount)  # type: ignore[attr-defined]
    return removed


JOBS = (PeriodicJob("purge_expired", every_seconds=3600.0, run=purge_expired),)
