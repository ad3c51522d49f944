"""A service that shows where a booking happens (an email, a receipt) keeps a replica of locations:
which location each offering uses (the catalog's offering events) and each location's name, address
and map link (the location service's events), nothing more.

The replica's contract is the platform's (this module), like the tenant replica's (tenancy.py):
`OfferingPlaced` and `PlaceReplicated` name the fields every replica keeps and the constants below
the event types carrying them. The catalog's `OfferingState` and the location service's
`LocationState` (contracts/events/) extend them; the platform never imports a service's contract.

Unlike the tenant replica, the tables belong to each service that keeps one (not every service
database needs them): the service's models call `LocationReplica(Base.metadata)`, which declares
them, so its own migration history makes them (D10-7). Both events carry the whole state with a
version, so a row is replaced only by a strictly newer version: replays and out-of-order deliveries
never move it back.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import MetaData, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from reservo.platform.db.dialect import upsert_insert
from reservo.platform.db.tables import add_location_tables
from reservo.platform.db.uow import Transaction
from reservo.platform.events.consumer import Handler
from reservo.platform.events.envelope import Envelope
from reservo.platform.service import ServiceContext

OFFERING_CREATED = "catalog.offering.created"
OFFERING_UPDATED = "catalog.offering.updated"
LOCATION_CREATED = "location.location.created"
LOCATION_UPDATED = "location.location.updated"
LOCATION_DELETED = "location.location.deleted"


class OfferingPlaced(BaseModel):
    """What a location replica keeps of an offering; the catalog's `OfferingState` extends it (an
    offering event's `offering`)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    version: int  # the catalog's row version
    location_id: uuid.UUID | None = None


class PlaceReplicated(BaseModel):
    """What a location replica keeps of a location; the location service's `LocationState` extends it
    (a location event's `location`)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    version: int  # the location's row version
    name: str
    address: str
    map_url: str
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    address: str
    map_url: str


def _part(event: Envelope[Any], field: str) -> Any:
    """The payload's `field` (`offering` or `location`), whether the payload is a model or the wire's dict."""
    data = event.data
    return data[field] if isinstance(data, dict) else getattr(data, field)


def _as_dict(value: Any) -> Any:
    return value.model_dump() if isinstance(value, BaseModel) else value


class LocationReplica:
    """One service's location replica: its two tables, the handlers that keep them and the lookup."""

    def __init__(self, metadata: MetaData) -> None:
        self.offerings, self.places = add_location_tables(metadata)

    async def on_offering(self, event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        tx.forget()  # a place read earlier in this transaction (a consumer batch) may be older than this
        o = OfferingPlaced.model_validate(_as_dict(_part(event, "offering")))
        values = {
            "offering_id": o.id,
            "tenant_id": o.tenant_id,
            "location_id": o.location_id,
            "version": o.version,
        }
        await _newer(tx.session, self.offerings, "offering_id", values)

    async def on_location(self, event: Envelope[Any], tx: Transaction, ctx: ServiceContext) -> None:
        tx.forget()
        place = PlaceReplicated.model_validate(_as_dict(_part(event, "location")))
        await _newer(tx.session, self.places, "id", place.model_dump())

    @property
    def handlers(self) -> dict[str, Handler]:
        offering, location = self.on_offering, self.on_location
        return {
            **dict.fromkeys((OFFERING_CREATED, OFFERING_UPDATED), offering),
            **dict.fromkeys((LOCATION_CREATED, LOCATION_UPDATED, LOCATION_DELETED), location),
        }

    async def place_of(
        self, session: AsyncSession, tenant_id: uuid.UUID, offering_id: uuid.UUID
    ) -> Place | None:
        """The offering's location as last heard of; None when it has none, it was deleted or its
        events have not arrived (what shows it then goes without the address rather than waiting)."""
        p, o = self.places.c, self.offerings.c
        row = (
            await session.execute(
                select(p.name, p.address, p.map_url)
                .join_from(self.offerings, self.places, o.location_id == p.id)
                .where(
                    o.offering_id == offering_id,
                    o.tenant_id == tenant_id,
                    p.tenant_id == tenant_id,
                    p.deleted.is_(False),
                )
            )
        ).one_or_none()
        return None if row is None else Place(row.name, row.address, row.map_url)


async def _newer(session: AsyncSession, table: Table, key: str, values: dict[str, Any]) -> None:
    stmt = upsert_insert(session, table, values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[key]],
        set_={k: stmt.excluded[k] for k in values if k != key},
        where=table.c.version < stmt.excluded.version,
    )
    await session.execute(stmt)
