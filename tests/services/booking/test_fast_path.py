"""The booking fast path for an offering whose version this process parsed and one counter: on
PostgreSQL one statement on the driver's connection (D15-14), on SQLite one function in the writer's
thread (D15-60); whatever it cannot decide goes the usual way. Every test runs on both."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text

from reservo.platform.clock import ManualClock
from reservo.services.booking.models import Booking, CapacityCounter
from reservo.services.booking.repository import HotBookings, HotOutcome, SqliteHotBookings
from tests.conftest import Api
from tests.services.booking.factories import (
    create_offering,
    event,
    product,
    resources,
    service,
    update_offering,
)
from tests.support.problems import assert_problem


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How the fast path's write answered: "booked", "stale" (another version), "too_many_holds",
    "sold_out", "first_use"."""
    seen: Counter[str] = Counter()

    def outcome(fresh: bool, counter: Any, exists: bool) -> str:
        return "booked" if counter else "stale" if not fresh else "sold_out" if exists else "first_use"

    book = HotBookings.book

    async def counting(self: HotBookings, *args: Any) -> HotOutcome:
        found = await book(self, *args)
        held_up = found.held is not None and len(args) > 4 and found.held >= args[4]
        seen[
            "booked"
            if found.counter
            else "stale"
            if not found.current
            else "too_many_holds"
            if held_up
            else "sold_out"
            if found.exists
            else "first_use"
        ] += 1
        return found

    sqlite_book = SqliteHotBookings.book

    async def sqlite_counting(self: SqliteHotBookings, *args: Any) -> tuple[bool, Any, bool, int | None]:
        fresh, counter, exists, held = await sqlite_book(self, *args)
        holds = args[4] if len(args) > 4 else None  # (email, now, limit) for a guest
        over = counter is None and holds is not None and held is not None and held >= holds[2]
        seen["too_many_holds" if over else outcome(fresh, counter, exists)] += 1
        return fresh, counter, exists, held

    monkeypatch.setattr(HotBookings, "book", counting)
    monkeypatch.setattr(SqliteHotBookings, "book", sqlite_counting)
    yield seen


async def _outbox(api: Api) -> list[dict[str, Any]]:
    async with api.runtime.uow("booking").read() as session:
        rows = await session.execute(
            text(
                "SELECT event_id, topic, type, key, CAST(envelope AS TEXT) AS envelope, created_at, sent_at"
                " FROM outbox WHERE type = 'booking.created' ORDER BY position"
            )
        )
        return [dict(r._mapping) for r in rows]


async def test_the_one_statement_writes_what_the_usual_path_writes(api: Api, fast: Counter[str]) -> None:
    offering = await create_offering(api, event(capacity=10))
    start = offering["sessions"][0]["start"]
    pokes: list[int] = []
    uow = api.runtime.uow("booking")
    notify = uow.on_publish

    def poke() -> None:
        pokes.append(1)
        notify()

    uow.on_publish = poke
    # Not parsed in this process yet, the counter not made: the usual path, which does both.
    usual = await api.book(offering["id"], start=start)
    assert not fast and usual.status_code == 201
    quick = await api.book(offering["id"], start=start, customer={"name": "Bo", "email": "bo@example.com"})
    assert fast == {"booked": 1} and quick.status_code == 201
    assert len(pokes) == 2, "the relay's process is told of both outbox rows"
    a, b = usual.json(), quick.json()
    assert a.keys() == b.keys() and b["access_token"] and b["status"] == "pending"
    differ = {k for k in a if a[k] != b[k]}
    assert differ == {"id", "customer", "access_token"}, differ

    rows = await _outbox(api)
    assert len(rows) == 2
    for row in rows:  # the JSON text SQLAlchemy's JSON type sends: json.dumps of the envelope
        assert row["envelope"] == json.dumps(json.loads(row["envelope"]))
        assert row["sent_at"] is None or row["sent_at"] >= row["created_at"]
    first, second = (json.loads(r["envelope"]) for r in rows)
    assert first.keys() == second.keys() and first["data"].keys() == second["data"].keys()
    assert (rows[1]["topic"], rows[1]["type"], rows[1]["key"]) == (
        "booking.events",
        "booking.created",
        b["id"],
    )
    assert str(uuid.UUID(str(rows[1]["event_id"]))) == second["id"] and second["tenant_id"] == b["tenant_id"]
    assert second["data"]["manage_url"].endswith(f"/t/acme/bookings/{b['id']}")
    assert second["data"]["day_capacity"] == first["data"]["day_capacity"] == 10
    async with uow.read() as session:
        counters = {r[0] for r in await session.execute(select(Booking.counter_id))}
        assert len(counters) == 1 and None not in counters
        assert await session.scalar(select(CapacityCounter.taken)) == 2


async def test_a_change_of_the_offering_is_honoured_by_the_next_booking(
    api: Api, fast: Counter[str], backend: str
) -> None:
    offering = await create_offering(api, event(capacity=10, max_quantity=2))
    start = offering["sessions"][0]["start"]
    assert (await api.book(offering["id"], start=start)).status_code == 201
    assert (await api.book(offering["id"], start=start)).json()["unit_price"]["amount"] == 2500
    assert fast["booked"] == 1

    # The statement's guard finds the newer version, nothing is written, the usual path books on it.
    v2 = await update_offering(api, offering, price={"amount": 4000, "currency": "EUR"})
    guest = await api.book(offering["id"], start=start, customer={"name": "Cy", "email": "cy@example.com"})
    assert guest.json()["unit_price"]["amount"] == 4000
    v3 = await update_offering(api, v2, price={"amount": 5000, "currency": "EUR"})
    staff = await api.book(offering["id"], start=start, headers=api.owner("acme"))
    assert staff.json()["unit_price"]["amount"] == 5000
    # PostgreSQL's statement meets the guest's stale version too; SQLite's head read finds it first.
    stale = 2 if backend == "postgres" else 1
    assert fast == {"booked": 1, "stale": stale}
    # A check that fails on the version this process knows is asked again on the current one.
    v4 = await update_offering(api, v3, max_quantity=3)
    staff = await api.book(offering["id"], quantity=3, start=start, headers=api.owner("acme"))
    assert staff.status_code == 201, staff.text
    assert fast == {"booked": 1, "stale": stale}, "went the usual way"
    assert (await api.book(offering["id"], start=start)).status_code == 201
    assert fast == {"booked": 2, "stale": stale}, "then the fast path runs on the newest version"

    await update_offering(api, v4, status="archived")
    assert_problem(await api.book(offering["id"], start=start), 409, "offering_not_bookable")
    assert_problem(
        await api.book(offering["id"], start=start, headers=api.owner("acme")), 409, "offering_not_bookable"
    )


async def test_a_smaller_capacity_and_sold_out_are_answered_at_once(api: Api, fast: Counter[str]) -> None:
    offering = await create_offering(api, product(stock=5))
    assert (await api.book(offering["id"])).status_code == 201
    assert (await api.book(offering["id"])).status_code == 201
    await update_offering(api, offering, stock=3)
    assert (await api.book(offering["id"])).status_code == 201
    assert_problem(await api.book(offering["id"]), 409, "sold_out")  # 3 of 3 taken, at the new version
    assert fast["sold_out"] == 1
    async with api.runtime.uow("booking").read() as session:
        assert await session.scalar(select(func.count()).select_from(Booking)) == 3


async def test_hundreds_racing_for_a_session_through_the_one_statement_book_exactly_its_seats(
    api: Api, fast: Counter[str]
) -> None:
    offering = await create_offering(api, event(capacity=40))
    start = offering["sessions"][0]["start"]
    assert (await api.book(offering["id"], start=start)).status_code == 201  # counter made, state parsed

    responses = await asyncio.gather(
        *(
            api.book(offering["id"], start=start, customer={"name": f"C{i}", "email": f"c{i}@example.com"})
            for i in range(200)
        )
    )

    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(201, None): 39, (409, "sold_out"): 161}
    assert fast["booked"] == 39 and fast["sold_out"] == 161
    async with api.runtime.uow("booking").read() as session:
        taken = await session.scalar(select(CapacityCounter.taken))
        booked = await session.scalar(select(func.count()).select_from(Booking))
    assert (taken, booked, len(await _outbox(api))) == (40, 40, 40)


async def test_an_appointment_goes_the_usual_way_and_its_event_names_the_resource(
    api: Api, fast: Counter[str]
) -> None:
    offering = await create_offering(api, service(resources=resources("Chair 1")))
    chair = offering["resources"][0]["id"]
    for start in ("2026-06-02T07:00:00Z", "2026-06-02T08:00:00Z"):
        assert (await api.book(offering["id"], start=start)).status_code == 201
    assert not fast, "several resources: never the one statement"
    events = [json.loads(r["envelope"])["data"] for r in await _outbox(api)]
    assert [e["resource_id"] for e in events] == [chair, chair]


@pytest.mark.parametrize("backend", ["postgres"])
async def test_the_email_limit_is_checked_in_the_statement_and_a_refusal_is_not_counted_for_the_client(
    make_api: Any, fast: Counter[str]
) -> None:
    """The client's attempt is counted before the statement (which checks the email's holds): a hold
    the statement refuses for the email's sake writes nothing and is taken back from the client's
    count, so the client may still book for other addresses (D15-50)."""
    limits = {"booking": {"max_holds_per_email": 2, "max_holds_per_client": 4}}
    api: Api = await make_api(["user", "catalog", "booking"], service_settings=limits)
    await api.tenant("acme")
    offering = await create_offering(api, product(stock=50))
    ann = {"name": "Ann", "email": "ann@example.com"}
    assert [(await api.book(offering["id"], customer=ann)).status_code for _ in range(2)] == [201, 201]
    for _ in range(3):
        assert_problem(await api.book(offering["id"], customer=ann), 409, "too_many_holds")
    assert fast == {"booked": 1, "too_many_holds": 3}, "the first booking parsed the offering"
    # Two holds counted for this client, not five: two more addresses may hold, then it is refused.
    others = [{"name": n, "email": f"{n}@example.com"} for n in ("bo", "cy", "di")]
    answers = [(await api.book(offering["id"], customer=c)).status_code for c in others]
    assert answers == [201, 201, 429]
    async with api.runtime.uow("booking").read() as session:
        held = await session.scalar(select(func.count()).select_from(Booking))
        taken = await session.scalar(select(CapacityCounter.taken))
    assert (held, taken, len(await _outbox(api))) == (4, 4, 4), "no refused hold was written"


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_on_sqlite_one_address_racing_for_holds_gets_exactly_its_limit(
    make_api: Callable[..., Any], clock: ManualClock, fast: Counter[str]
) -> None:
    """SQLite counts the email's unpaid holds again under the write lock (D15-60): a dozen requests
    of one address that all read "1 held" before any of them wrote still take only the two holds
    left of its three."""
    limits = {"booking": {"max_holds_per_email": 3, "max_holds_per_client": 100}}
    api: Api = await make_api(["user", "catalog", "booking"], clock=clock, service_settings=limits)
    await api.tenant("acme")
    offering = await create_offering(api, product(stock=50))
    dora = {"name": "Dora", "email": "dora@example.com"}
    assert (await api.book(offering["id"], customer=dora)).status_code == 201  # parsed, counter made

    responses = await asyncio.gather(*(api.book(offering["id"], customer=dora) for _ in range(12)))

    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(201, None): 2, (409, "too_many_holds"): 10}
    assert fast["booked"] == 2 and fast["too_many_holds"] >= 1
    async with api.runtime.uow("booking").read() as session:
        assert await session.scalar(select(CapacityCounter.taken)) == 3
        assert await session.scalar(select(func.count()).select_from(Booking)) == 3
