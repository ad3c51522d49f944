"""The location replica is one piece of platform code (platform/locations.py) that notification and
receipt both keep from catalog's and location's events: each row holds the newest version it heard
of, whatever order the events arrive in and however often they come."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from reservo.contracts.events.catalog import OfferingState, OfferingUpdated
from reservo.contracts.events.location import LocationDeleted, LocationState, LocationUpdated, map_url
from reservo.contracts.money import MoneyPayload
from reservo.platform.events.envelope import Envelope, Event, RawEnvelope
from reservo.platform.locations import LocationReplica, Place
from tests.conftest import Api

SERVICES = ["notification", "receipt"]
TENANT, OFFERING, FIRST, SECOND = (uuid.uuid4() for _ in range(4))
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _location(location_id: uuid.UUID, version: int, address: str, *, deleted: bool = False) -> Event:
    state = LocationState(
        id=location_id,
        tenant_id=TENANT,
        version=version,
        name=f"Studio v{version}",
        address=address,
        latitude=52.52,
        longitude=13.405,
        place_id="ChIJAVkDPzdOqEcRcDteW0YgIQQ",
        map_url=map_url(52.52, 13.405),
        deleted=deleted,
        updated_at=AT,
    )
    return (LocationDeleted if deleted else LocationUpdated)(location=state)


def _offering(version: int, location_id: uuid.UUID) -> Event:
    state = OfferingState(
        id=OFFERING,
        tenant_id=TENANT,
        version=version,
        location_id=location_id,
        kind="product",
        name="Yoga",
        status="published",
        price=MoneyPayload(amount=1500, currency="EUR"),
        updated_at=AT,
    )
    return OfferingUpdated(offering=state)


async def _deliver(api: Api, *events: Event, at: datetime = AT) -> None:
    """Each event as the wire carries it, under its own envelope id (a producer's replay is a new
    envelope: the inbox does not hide it, the replica's version check must)."""
    for event in events:
        raw = RawEnvelope.model_validate(Envelope.wrap(event, tenant_id=TENANT, now=at).model_dump())
        for service in SERVICES:
            await api.runtime.consumers[service].deliver(raw)


async def _place(api: Api, service: str) -> Place | None:
    uow = api.runtime.uow(service)
    async with uow.read() as session:
        return await LocationReplica(uow.tables.outbox.metadata).place_of(session, TENANT, OFFERING)


async def _places(api: Api) -> list[Any]:
    found = []
    for service in SERVICES:
        place = await _place(api, service)
        found.append(None if place is None else place.address)
    return found


async def test_the_newest_version_wins_in_both_services_whatever_the_order(make_api: Any) -> None:
    api: Api = await make_api(SERVICES, workers=False)

    await _deliver(api, _offering(2, FIRST), _location(FIRST, 3, "Hauptstraße 3"))
    assert await _places(api) == ["Hauptstraße 3"] * 2

    # Older states arriving late, and the newest again: nothing moves back.
    await _deliver(api, _location(FIRST, 2, "Old Street 2"), _location(FIRST, 1, "Old Street 1"))
    await _deliver(api, _offering(1, SECOND), _location(SECOND, 1, "Elsewhere 1"))
    await _deliver(api, _location(FIRST, 3, "Hauptstraße 3"), _offering(2, FIRST))
    assert await _places(api) == ["Hauptstraße 3"] * 2
    assert await _place(api, "receipt") == Place("Studio v3", "Hauptstraße 3", map_url(52.52, 13.405))

    # Versions order, not envelope times: a newer state sent with an older timestamp still wins.
    await _deliver(api, _location(FIRST, 4, "Hauptstraße 4"), at=AT - timedelta(days=1))
    assert await _places(api) == ["Hauptstraße 4"] * 2

    # A newer offering moves to the second location; a deleted location is no longer shown, and an
    # older update of it arriving after the deletion does not bring it back.
    await _deliver(api, _offering(3, SECOND))
    assert await _places(api) == ["Elsewhere 1"] * 2
    await _deliver(
        api, _location(SECOND, 2, "Elsewhere 2", deleted=True), _location(SECOND, 1, "Elsewhere 1")
    )
    assert await _places(api) == [None, None]

    for service in SERVICES:  # every delivery was applied or ignored, none failed
        dead = api.runtime.uow(service).tables.dead_letters
        async with api.runtime.uow(service).read() as session:
            assert await session.scalar(select(func.count()).select_from(dead)) == 0
