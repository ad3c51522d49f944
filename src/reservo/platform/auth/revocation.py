"""Revoked sessions and roles, checked by the auth dependencies so that revocation takes seconds.

Access tokens are verified locally and live up to `access_token_minutes`; without this, a token kept
working for that long after logout, a password reset or removal from a tenant (issue 9 item 9). The
user service writes a revocation here the moment it commits one; every service reads it:

- a revoked session (`sid`): every access token of that sign-in stops working;
- a removed tenant role (user, tenant slug, time): tokens issued up to then lose that role.

The store is the platform's cache: memory in the all-in-one process, Redis shared by every process in
the distributed shape (RESERVO_REDIS_URL). Entries live as long as an access token can, then expire
with the tokens they refer to. Redis being unreachable fails open (tokens lapse by expiry, as before),
logged by the cache. See docs/decisions.md D9-3.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from reservo.platform.cache import Cache


class Revocations:
    def __init__(self, cache: Cache, ttl_seconds: float) -> None:
        self._cache = cache
        self._ttl = ttl_seconds

    async def revoke_sessions(self, session_ids: Iterable[uuid.UUID]) -> None:
        for sid in session_ids:
            await self._cache.set(f"revoked:sid:{sid}", b"1", self._ttl)

    async def revoke_role(self, user_id: uuid.UUID, tenant_slug: str, at: datetime) -> None:
        await self._cache.set(
            f"revoked:role:{user_id}:{tenant_slug}", str(at.timestamp()).encode(), self._ttl
        )

    async def restore_role(self, user_id: uuid.UUID, tenant_slug: str) -> None:
        """The user is a member again: tokens minted from now carry the role and must keep it."""
        await self._cache.delete(f"revoked:role:{user_id}:{tenant_slug}")

    async def session_revoked(self, session_id: uuid.UUID | None) -> bool:
        return session_id is not None and await self._cache.get(f"revoked:sid:{session_id}") is not None

    async def role_revoked(self, user_id: uuid.UUID, tenant_slug: str, issued_at: int | None) -> bool:
        value = await self._cache.get(f"revoked:role:{user_id}:{tenant_slug}")
        if value is None:
            return False
        return issued_at is None or issued_at <= float(value)
