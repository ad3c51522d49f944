"""ServiceSpec: how a service describes itself; ServiceContext: what its code gets at run time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from fastapi import APIRouter
from pydantic_settings import BaseSettings
from sqlalchemy import MetaData

from reservo.platform.cache import Cache, MemoryCache
from reservo.platform.clock import Clock
from reservo.platform.config import Settings
from reservo.platform.db.uow import UnitOfWork
from reservo.platform.storage import LocalStorage, ObjectStorage

S = TypeVar("S", bound=BaseSettings)

if TYPE_CHECKING:
    from reservo.platform.auth.revocation import Revocations
    from reservo.platform.events.consumer import Handler
    from reservo.platform.http.ratelimit import RateLimiter
    from reservo.platform.mail import Mailer
    from reservo.platform.owner import Owners


@dataclass(frozen=True, slots=True)
class ServiceContext:
    name: str
    uow: UnitOfWork
    clock: Clock
    settings: Settings  # the platform's; the service's own: settings_of(TheClass)
    mailer: Mailer | None  # a test's mailer; else the notification service makes its own
    rate_limiter: RateLimiter
    job_wakers: dict[str, asyncio.Event] = field(default_factory=dict)
    cache: Cache = field(default_factory=MemoryCache)
    owners: Owners | None = None  # reads a resource from its owning service (platform/owner.py)
    revocations: Revocations | None = None  # revoked sessions and roles (platform/auth/revocation.py)
    storage: ObjectStorage = field(default_factory=lambda: LocalStorage(Path("data/files")))
    service_settings: BaseSettings | None = None  # the spec's `settings` class, read at start-up

    def settings_of(self, kind: type[S]) -> S:
        """The service's own settings (services/<name>/settings.py), as read and checked at start-up."""
        if not isinstance(self.service_settings, kind):
            raise TypeError(
                f"service {self.name} runs with {type(self.service_settings).__name__}, not {kind}"
            )
        return self.service_settings

    def wake(self, job: str) -> None:
        """Run periodic job `job` now instead of at its next tick (no-op where workers don't run)."""
        if (event := self.job_wakers.get(job)) is not None:
            event.set()


JobFn = Callable[[ServiceContext], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    every_seconds: float
    run: JobFn


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str
    port: int
    metadata: MetaData
    routers: Sequence[APIRouter] = ()
    handlers: Mapping[str, Handler] = field(default_factory=dict)
    jobs: Sequence[PeriodicJob] = ()
    migrations: Traversable | None = None
    description: str = ""
    # The service's own settings class, read from RESERVO_<NAME>_... (platform/service_settings.py).
    settings: type[BaseSettings] | None = None
