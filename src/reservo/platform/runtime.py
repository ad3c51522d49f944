"""Runtime: engines, units of work, bus, mailer, storage, clock and workers, built once from Settings."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from typing import Any

import structlog
from pydantic_settings import BaseSettings
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url

from reservo.platform.auth.actor import TokenVerifier
from reservo.platform.auth.jwks import RemoteJwks
from reservo.platform.auth.keys import KeyStore, NoSigningKey
from reservo.platform.auth.revocation import Revocations
from reservo.platform.auth.tokens import JwtVerifier, TokenIssuer, TokenRules
from reservo.platform.cache import Cache, MemoryCache, RedisCache
from reservo.platform.clock import Clock, SystemClock
from reservo.platform.config import Settings
from reservo.platform.db.engine import make_engines
from reservo.platform.db.uow import UnitOfWork
from reservo.platform.events.bus import EventBus
from reservo.platform.events.consumer import Consumer
from reservo.platform.events.housekeeping import housekeep
from reservo.platform.events.inprocess import InProcessBus
from reservo.platform.events.kafka import KafkaBus, KafkaOptions
from reservo.platform.events.notify import OutboxListener, OutboxNotifier, asyncpg_dsn
from reservo.platform.events.relay import Relay
from reservo.platform.events.tables import add_event_tables
from reservo.platform.http.idempotency import (
    IdempotencyStore,
    MemoryIdempotencyStore,
    RedisIdempotencyStore,
)
from reservo.platform.http.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from reservo.platform.mail import Mailer
from reservo.platform.owner import OwnerClient
from reservo.platform.service import PeriodicJob, ServiceContext, ServiceSpec
from reservo.platform.service_settings import load_service_settings
from reservo.platform.storage import ObjectStorage, make_storage

log = structlog.get_logger(__name__)


def _make_bus(settings: Settings, services: Iterable[str]) -> EventBus:
    if settings.bus == "kafka":
        return KafkaBus(
            KafkaOptions(
                bootstrap=settings.kafka_bootstrap,
                topic_prefix=settings.kafka_topic_prefix,
                partitions=settings.kafka_partitions,
                replication=settings.kafka_replication,
            )
        )
    # On SQLite a service has one writer: a group's partitions only queued on it, each batch a
    # transaction of its own; one partition hands a group all that waits in one batch (D15-37).
    one_writer = all(make_url(settings.database_url_for(s)).get_backend_name() == "sqlite" for s in services)
    return InProcessBus(partitions=1) if one_writer else InProcessBus()


def token_rules(settings: Settings) -> TokenRules:
    return TokenRules(settings.jwt_issuer, settings.jwt_audience, settings.jwt_leeway_seconds)


def key_retirement(settings: Settings) -> timedelta:
    """An old key verifies until its successor is older than the longest-lived access token."""
    return timedelta(minutes=settings.access_token_minutes, seconds=settings.jwt_leeway_seconds)


class Runtime:
    def __init__(
        self,
        settings: Settings,
        specs: Sequence[ServiceSpec],
        *,
        clock: Clock | None = None,
        bus: EventBus | None = None,
        mailer: Mailer | None = None,
        verifier: TokenVerifier | None = None,
        idempotency: IdempotencyStore | None = None,
        rate_limiter: RateLimiter | None = None,
        cache: Cache | None = None,
        storage: ObjectStorage | None = None,
        service_settings: Mapping[str, BaseSettings] | None = None,
    ) -> None:
        """`service_settings` gives a service's own settings object instead of reading it from the
        environment; every other selected service's is read and checked here (SettingsError)."""
        self.settings = settings
        self.specs = {s.name: s for s in specs}
        given = dict(service_settings or {})
        self.service_settings: dict[str, BaseSettings] = {
            s.name: given.get(s.name) or load_service_settings(s.name, s.settings, settings)
            for s in specs
            if s.settings is not None
        }
        self.clock = clock or SystemClock()
        self.bus = bus or _make_bus(settings, self.specs)
        self.mailer = mailer
        self.storage = storage or make_storage(settings)
        self.keys: KeyStore | None = None
        self.verifier = verifier or self._make_verifier(settings)
        # Redis when configured (shared by every process), memory otherwise (one process).
        self.redis: Redis | None = None
        if settings.redis_url:
            self.redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
            prefix = settings.redis_prefix
            self.idempotency = idempotency or RedisIdempotencyStore(self.redis, prefix)
            self.rate_limiter = rate_limiter or RedisRateLimiter(self.redis, prefix)
            self.cache = cache or RedisCache(self.redis, prefix)
        else:
            self.idempotency = idempotency or MemoryIdempotencyStore()
            self.rate_limiter = rate_limiter or MemoryRateLimiter()
            self.cache = cache or MemoryCache()
        self.owners = OwnerClient(settings, frozenset(self.specs))
        token_life = settings.access_token_minutes * 60 + settings.jwt_leeway_seconds
        self.revocations = Revocations(self.cache, ttl_seconds=token_life)
        self.contexts: dict[str, ServiceContext] = {}
        for spec in specs:
            engines = make_engines(settings.database_url_for(spec.name))
            uow = UnitOfWork(spec.name, engines, add_event_tables(spec.metadata), self.clock)
            self.contexts[spec.name] = ServiceContext(
                spec.name,
                uow,
                self.clock,
                settings,
                self.mailer,
                self.rate_limiter,
                cache=self.cache,
                owners=self.owners,
                revocations=self.revocations,
                storage=self.storage,
                service_settings=self.service_settings.get(spec.name),
            )
        self.consumers: dict[str, Consumer] = {
            s.name: Consumer(
                self.contexts[s.name],
                s.handlers,
                max_attempts=settings.consumer_max_attempts,
                backoff_seconds=settings.consumer_backoff_seconds,
                on_dead_letter=self.bus.dead_letter,
            )
            for s in specs
            if s.handlers
        }
        self.relays: dict[str, Relay] = {}
        self._notifier: OutboxNotifier | None = None
        self._listener: OutboxListener | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    def _make_verifier(self, settings: Settings) -> TokenVerifier:
        """Verify locally with the key directory, or with the user service's JWKS (fetched, cached)."""
        rules = token_rules(settings)
        if settings.jwks_url:
            jwks = RemoteJwks(settings.jwks_url, min_refresh_seconds=settings.jwks_min_refresh_seconds)
            return JwtVerifier(jwks, rules, self.clock)
        self.keys = KeyStore(settings.keys_dir, retire_after=key_retirement(settings), clock=self.clock)
        # All-in-one (or development): the first start makes the first key. A distributed
        # production deployment makes it once with `reservo keys rotate` (replicas must share it).
        self.keys.ensure(create=settings.embedded or settings.environment != "production")
        return JwtVerifier(self.keys, rules, self.clock)

    def issuer(self) -> TokenIssuer:
        """Mints access tokens; only where the key directory is (the user service's process)."""
        if self.keys is None:
            raise NoSigningKey("this process verifies with a JWKS URL and holds no signing key")
        ttl = timedelta(minutes=self.settings.access_token_minutes)
        return TokenIssuer(self.keys, token_rules(self.settings), ttl, self.clock)

    def uow(self, service: str) -> UnitOfWork:
        return self.contexts[service].uow

    async def start(self, *, workers: bool) -> None:
        """Start the bus; with `workers`, also the relays, consumers and periodic jobs of every service."""
        if workers:
            for name, consumer in self.consumers.items():
                self.bus.subscribe(name, consumer.topics, consumer.deliver, consumer.deliver_many)
        await self.bus.start()
        # On PostgreSQL, commits in processes without relays wake the relays' process (NOTIFY).
        dsns = {
            name: dsn
            for name in self.contexts
            if (dsn := asyncpg_dsn(self.settings.database_url_for(name))) is not None
        }
        if not workers:
            if dsns:
                notifier = self._notifier = OutboxNotifier(dsns)
                for name in dsns:
                    self.contexts[name].uow.on_publish = lambda name=name: notifier.poke(name)  # type: ignore[misc]
            return
        for name, ctx in self.contexts.items():
            relay = Relay(
                ctx.uow,
                self.bus,
                self.clock,
                poll_seconds=self.settings.relay_poll_seconds,
                linger_seconds=self.settings.relay_linger_seconds,
            )
            ctx.uow.on_publish = relay.wake
            self.relays[name] = relay
            self._tasks.append(asyncio.create_task(relay.run(), name=f"relay:{name}"))
            for job in (*self.specs[name].jobs, _housekeeping(relay, self.settings.housekeeping_seconds)):
                self._tasks.append(
                    asyncio.create_task(self._run_job(job, ctx), name=f"job:{name}:{job.name}")
                )
        if dsns:
            self._listener = OutboxListener(dsns, self._wake_relay)
            await self._listener.start()

    def _wake_relay(self, service: str) -> None:
        if (relay := self.relays.get(service)) is not None:
            relay.wake()

    async def _run_job(self, job: PeriodicJob, ctx: ServiceContext) -> None:
        wake = ctx.job_wakers.setdefault(job.name, asyncio.Event())
        while not self._stopping.is_set():
            wake.clear()
            try:
                await job.run(ctx)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job.failed", service=ctx.name, job=job.name)
            with suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=job.every_seconds)

    async def stop(self) -> None:
        # Ask workers to finish what they hold; cancel only those that do not stop in time.
        self._stopping.set()
        for relay in self.relays.values():
            relay.stop()
        for ctx in self.contexts.values():
            for event in ctx.job_wakers.values():
                event.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=10)
            for task in pending:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        for hint in (self._notifier, self._listener):
            if hint is not None:
                await hint.aclose()
        self._notifier = self._listener = None
        await self.bus.stop()
        await self.owners.aclose()
        for ctx in self.contexts.values():
            await ctx.uow.engines.dispose()
        await self.cache.aclose()
        if self.redis is not None:
            await self.redis.aclose()

    async def check_ready(self) -> dict[str, str]:
        async def probe(check: Awaitable[Any]) -> str:
            try:
                await asyncio.wait_for(check, timeout=2)
                return "ok"
            except Exception as exc:
                return f"error: {type(exc).__name__}"

        async def select_one(ctx: ServiceContext) -> None:
            async with ctx.uow.read() as session:
                await session.execute(text("SELECT 1"))

        checks: dict[str, Awaitable[Any]] = {
            f"db:{name}": select_one(ctx) for name, ctx in self.contexts.items()
        }
        checks["bus"] = self.bus.ping()
        if self.redis is not None:
            checks["cache"] = self.redis.ping()
        results = await asyncio.gather(*(probe(c) for c in checks.values()))
        return dict(zip(checks, results, strict=True))

    async def readiness(self) -> tuple[int, dict[str, Any]]:
        """The HTTP status and body of a readiness probe: 200 when every check is ok, else 503."""
        checks = await self.check_ready()
        ready = all(v == "ok" for v in checks.values())
        return (200 if ready else 503), {"status": "ok" if ready else "unavailable", "checks": checks}

    @asynccontextmanager
    async def running(self, *, workers: bool) -> AsyncIterator[Runtime]:
        await self.start(workers=workers)
        try:
            yield self
        finally:
            await self.stop()

    def lifespan_for(self, *, workers: bool) -> Any:
        @asynccontextmanager
        async def lifespan(_app: Any) -> AsyncIterator[None]:
            async with self.running(workers=workers):
                yield

        return lifespan


def _housekeeping(relay: Relay, every_seconds: float) -> PeriodicJob:
    async def run(ctx: ServiceContext) -> int:
        return await housekeep(ctx, relay)

    return PeriodicJob(name="housekeeping", every_seconds=every_seconds, run=run)
