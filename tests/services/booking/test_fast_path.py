"""PostgreSQL's booking fast path (D15-14): one statement on the driver's connection for an offering
whose version this process parsed and one counter; whatever it cannot decide goes the usual way."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, text

from reservo.services.booking.models import Booking, CapacityCounter
from reservo.services.booking.repository import HotBookings, HotOutcome
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

pytestmark = pytest.mark.postgres


@pytest.fixture
def backend() -> str:
    return "postgres"


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How the one statement answered: "booked", "stale" (another version), "too_many_holds",
    "sold_out", "first_use"."""
    seen: Counter[str] = Counter()
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

    monkeypatch.setattr(HotBookings, "book", counting)
    yield seen


async def _outbox(api: Api) -> list[dict[str, Any]]:
    async with api.runtime.uow("booking").read() as session:
        rows = await session.execute(
            text(
                "SELECT event_id, topic, type, key, envelope::text AS envelope, created_at, sent_at"
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
    assert str(rows[1]["event_id"]) == second["id"] and second["tenant_id"] == b["tenant_id"]
    assert second["data"]["manage_url"].endswith(f"/t/acme/bookings/{b['id']}")
    assert second["data"]["day_capacity"] == first["data"]["day_capacity"] == 10
    async with uow.read() as session:
        counters = {r[0] for r in await session.execute(select(Booking.counter_id))}
        assert len(counters) == 1 and None not in counters
        assert await session.scalar(select(CapacityCounter.taken)) == 2


async def test_a_change_of_the_offering_is_honoured_by_the_next_booking(api: Api, fast: Counter[str]) -> None:
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
    assert fast == {"booked": 1, "stale": 2}
    # A check that fails on the version this process knows is asked again on the current one.
    v4 = await update_offering(api, v3, max_quantity=3)
    staff = await api.book(offering["id"], quantity=3, start=start, headers=api.owner("acme"))
    assert staff.status_code == 201, staff.text
    assert fast == {"booked": 1, "stale": 2}, "went the usual way"
    assert (await api.book(offering["id"], start=start)).status_code == 201
    assert fast == {"booked": 2, "stale": 2}, "then the fast path runs on the newest version"

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
