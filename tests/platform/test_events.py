"""Nothing lost, nothing doubled: outbox across a crash, inbox dedup, dead letters and replay."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

from sqlalchemy import func, select
from typer.testing import CliRunner

from reservo.cli import cli
from reservo.platform.config import Settings
from reservo.platform.db.uow import Transaction
from reservo.platform.events.envelope import Envelope, RawEnvelope
from reservo.platform.service import ServiceContext
from reservo.services import notification
from reservo.services.booking.models import OfferingReplica
from reservo.services.notification.handlers import on_booking_created
from reservo.services.notification.models import Email
from tests.conftest import Api
from tests.support.offerings import price, product


async def _count(api: Api, service: str, table: Any, *where: Any) -> int:
    async with api.runtime.uow(service).read() as session:
        return int(await session.scalar(select(func.count()).select_from(table).where(*where)) or 0)


class TestOutbox:
    async def test_an_event_committed_before_a_crash_is_delivered_after_restart(self, make_api) -> None:
        services = ["user", "catalog", "booking"]
        first: Api = await make_api(services)
        await first.tenant("acme")
        await first.runtime.stop()

        # The process that commits the offering dies before any relay runs.
        crashing: Api = await make_api(services, workers=False)
        body = product(3, name="Late", price=price(100))
        created = await crashing.client.post(
            "/api/v1/tenants/acme/offerings", json=body, headers=crashing.owner("acme")
        )
        assert created.status_code == 201
        outbox = crashing.runtime.uow("catalog").tables.outbox
        assert await _count(crashing, "catalog", outbox, outbox.c.sent_at.is_(None)) == 1
        replicas = OfferingReplica.__table__
        assert await _count(crashing, "booking", replicas) == 0
        await crashing.runtime.stop()

        # Nobody asks booking for the offering (which would fill its replica from catalog): only the
        # relay of the restarted process can bring it there.
        restarted: Api = await make_api(services)
        await restarted.settle()
        assert await _count(restarted, "catalog", outbox, outbox.c.sent_at.is_(None)) == 0
        assert (
            await _count(restarted, "booking", replicas, replicas.c.id == uuid.UUID(created.json()["id"]))
            == 1
        )
        assert (await restarted.book(created.json()["id"])).status_code == 201


class TestInbox:
    async def test_an_event_delivered_twice_changes_state_once(self, api: Api) -> None:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product")
        assert (await api.book(offering["id"])).status_code == 201
        await api.settle()
        outbox = api.runtime.uow("booking").tables.outbox
        async with api.runtime.uow("booking").read() as session:
            raw = await session.scalar(select(outbox.c.envelope).where(outbox.c.type == "booking.created"))
        envelope = RawEnvelope.model_validate(raw)

        consumer = api.runtime.consumers["notification"]
        await consumer.deliver(envelope)
        await consumer.deliver(envelope)

        # The customer's email (the owner's new-booking note comes from the same event, once too).
        assert await _count(api, "notification", Email.__table__, Email.template == "booking_created") == 1


class _Flaky:
    """A handler that fails until `broken` is cleared, standing in for a bug that gets fixed."""

    def __init__(self) -> None:
        self.broken = True
        self.calls = 0

    async def __call__(self, event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        self.calls += 1
        if self.broken:
            raise RuntimeError("template service unreachable")
        await on_booking_created(event, tx, ctx)


async def _booked_once(make_api: Any, handler: Any) -> Api:
    """A tenant's product booked once, notification's booking.created handled by `handler`, settled."""
    spec = dataclasses.replace(
        notification.spec, handlers={**notification.spec.handlers, "booking.created": handler}
    )
    api: Api = await make_api(["user", "catalog", "booking", spec])
    try:
        await api.tenant("acme")
        offering = await api.offering("acme", kind="product")
        await api.book(offering["id"])
        await api.settle()
    except BaseException:
        await api.runtime.stop()
        raise
    return api


class TestDeadLetters:
    async def test_a_failing_handler_dead_letters_and_a_replay_applies_once(
        self,
        make_api,
        settings: Settings,
        monkeypatch,
    ) -> None:
        flaky = _Flaky()
        api = await _booked_once(make_api, flaky)
        try:
            assert flaky.calls == settings.consumer_max_attempts
            assert await _count(api, "notification", Email.__table__) == 0
            admin = api.dev_token("root@reservo.example", "admin")
            listed = (await api.client.get("/api/v1/admin/dead-letters/notification", headers=admin)).json()
            assert [(d["type"], d["attempts"]) for d in listed["items"]] == [("booking.created", 5)]
            assert "template service unreachable" in listed["items"][0]["error"]
            forbidden = await api.client.get(
                "/api/v1/admin/dead-letters/notification", headers=api.owner("acme")
            )
            assert forbidden.status_code == 403
        finally:
            await api.runtime.stop()

        # The cause is fixed (the real handler ships again); an operator replays from the CLI.
        monkeypatch.setenv("RESERVO_DATA_DIR", str(settings.data_dir))
        if settings.database_url:
            monkeypatch.setenv("RESERVO_DATABASE_URL", settings.database_url)
        runner = CliRunner()
        replay = await asyncio.to_thread(runner.invoke, cli, ["dlq", "replay", "notification", "--all"])
        assert replay.exit_code == 0, replay.output
        assert replay.output.strip().endswith("applied")
        again = await asyncio.to_thread(runner.invoke, cli, ["dlq", "replay", "notification", "--all"])
        assert again.exit_code == 0 and again.output.strip() == ""
        listing = await asyncio.to_thread(runner.invoke, cli, ["dlq", "list", "notification"])
        assert listing.output.strip() == "no dead letters"

        check: Api = await make_api(["notification"], workers=False)
        assert await _count(check, "notification", Email.__table__, Email.template == "booking_created") == 1


class _Unreachable:
    """The handler finds its database unreachable for its first `times` attempts (a restart)."""

    def __init__(self, times: int, error: Exception) -> None:
        self.times, self.error, self.calls = times, error, 0

    async def __call__(self, event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        self.calls += 1
        if self.calls <= self.times:
            raise self.error
        await on_booking_created(event, tx, ctx)


class TestUnreachableDatabase:
    async def test_a_database_restart_does_not_dead_letter_the_event(
        self, make_api, settings: Settings
    ) -> None:
        """D15-43: attempts while the database cannot be reached are not the event's fault; the
        event waits and applies once it is back (more failures than consumer_max_attempts allow)."""
        down = _Unreachable(settings.consumer_max_attempts + 3, await _refused_by_the_driver())
        api = await _booked_once(make_api, down)
        try:
            assert down.calls == settings.consumer_max_attempts + 4
            assert await _count(api, "notification", Email.__table__) >= 1
            admin = api.dev_token("root@reservo.example", "admin")
            listed = (await api.client.get("/api/v1/admin/dead-letters/notification", headers=admin)).json()
            assert listed["items"] == []
        finally:
            await api.runtime.stop()

    def test_what_counts_as_unreachable(self) -> None:
        from asyncpg.exceptions import CannotConnectNowError
        from sqlalchemy.exc import DBAPIError, OperationalError

        from reservo.platform.events.consumer import store_unreachable

        refused = asyncio.run(_refused_by_the_driver())
        assert store_unreachable(refused)
        assert store_unreachable(OperationalError("SELECT 1", {}, refused))
        assert store_unreachable(CannotConnectNowError("the database system is starting up"))
        invalidated = DBAPIError("SELECT 1", {}, RuntimeError("closed"), connection_invalidated=True)
        assert store_unreachable(invalidated)
        # A mail server or a partner's API refusing is the handler's failure: counted, dead-lettered.
        assert not store_unreachable(ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 25)"))
        assert not store_unreachable(RuntimeError("template service unreachable"))
        assert not store_unreachable(LookupError("tenant not replicated yet"))


async def _refused_by_the_driver() -> ConnectionRefusedError:
    """What asyncpg raises when nothing listens on the database's port (a restart)."""
    import asyncpg

    try:
        await asyncpg.connect("postgresql://nobody@127.0.0.1:1/none", timeout=5)
    except ConnectionRefusedError as exc:
        return exc
    raise AssertionError("port 1 accepted a connection")
