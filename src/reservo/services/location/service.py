"""Location use cases: create from an address, a Google place id or coordinates; list; change; delete
when no offering uses it. Every change emits the location's whole state (contracts/events/location.py)."""

from __future__ import annotations

import uuid
from datetime import UTC

from sqlalchemy.orm.exc import StaleDataError

from reservo.contracts.events.location import (
    LocationCreated,
    LocationDeleted,
    LocationState,
    LocationUpdated,
    map_url,
)
from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.http.problems import VersionConflict
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.location.errors import (
    AddressRequired,
    CoordinatesRequired,
    LocationInUse,
    LocationNotFound,
)
from reservo.services.location.google import GoogleMaps, Place, Suggestion
from reservo.services.location.models import Location
from reservo.services.location.repository import LocationRepository
from reservo.services.location.schemas import LocationCreate, LocationUpdate
from reservo.services.location.settings import LocationSettings


class LocationService:
    def __init__(self, ctx: ServiceContext, settings: LocationSettings | None = None) -> None:
        self._ctx = ctx
        self.maps = GoogleMaps(settings or ctx.settings_of(LocationSettings), ctx.cache)

    async def resolve(
        self,
        *,
        address: str | None,
        latitude: float | None,
        longitude: float | None,
        place_id: str | None,
        session_token: str | None,
    ) -> tuple[Place, str]:
        """Where the caller means, and how we know it (`source`). Google is asked only for what the
        caller left out; a caller who gives address and coordinates is believed as is."""
        if place_id is not None:
            return await self.maps.details(place_id, session_token), "place"
        if latitude is not None and longitude is not None:
            if address is not None:
                return Place(address, latitude, longitude, None), "manual"
            if not self.maps.enabled:
                raise AddressRequired("Give the `address` too: no maps API is configured to look it up")
            found = await self.maps.reverse(latitude, longitude)
            # The pin the user set stays where it is; Google only names it.
            return Place(found.address, latitude, longitude, found.place_id), "reverse"
        if address is None:
            raise AddressRequired()
        if not self.maps.enabled:
            raise CoordinatesRequired()
        return await self.maps.geocode(address), "geocoded"

    async def create(self, tenant: TenantRef, data: LocationCreate) -> Location:
        place, source = await self.resolve(
            address=data.address,
            latitude=data.latitude,
            longitude=data.longitude,
            place_id=data.place_id,
            session_token=data.session_token,
        )
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = LocationRepository(tx.session, tenant_id=tenant.id)
            location = repo.add(Location(id=uuid.uuid4(), created_at=now, updated_at=now, name=data.name))
            _place(location, place, source)
            await tx.session.flush()
            tx.publish(LocationCreated(location=state_of(location)), tenant_id=tenant.id)
        return location

    async def get(self, tenant: TenantRef, location_id: uuid.UUID) -> Location:
        async with self._ctx.uow.read() as session:
            location = await LocationRepository(session, tenant_id=tenant.id).get(location_id)
        if location is None:
            raise LocationNotFound(f"No location {location_id}")
        return location

    async def page(self, tenant: TenantRef, page: PageParams) -> tuple[list[Location], str | None]:
        async with self._ctx.uow.read() as session:
            rows = await LocationRepository(session, tenant_id=tenant.id).page(page.limit + 1, page.cursor)
        items = rows[: page.limit]
        more = len(rows) > page.limit
        return items, encode_cursor(items[-1].created_at, items[-1].id) if more else None

    async def update(self, tenant: TenantRef, location_id: uuid.UUID, patch: LocationUpdate) -> Location:
        current = await self.get(tenant, location_id)
        changes = patch.model_dump(exclude_unset=True, exclude={"version", "session_token"})
        place: tuple[Place, str] | None = None
        if {"address", "latitude", "longitude", "place_id"} & changes.keys():
            # A new pin alone keeps the address; a new address alone is looked up again.
            address = patch.address if patch.address is not None else None
            if address is None and patch.latitude is not None and patch.place_id is None:
                address = current.address
            place = await self.resolve(
                address=address,
                latitude=patch.latitude,
                longitude=patch.longitude,
                place_id=patch.place_id,
                session_token=patch.session_token,
            )
        expected = patch.version or current.version
        try:
            async with self._ctx.uow.transaction() as tx:
                location = await LocationRepository(tx.session, tenant_id=tenant.id).get(location_id)
                if location is None:
                    raise LocationNotFound(f"No location {location_id}")
                if location.version != expected:
                    raise VersionConflict(
                        f"Location is at version {location.version}, not {expected}",
                        current_version=location.version,
                    )
                if patch.name is not None:
                    location.name = patch.name
                if place is not None:
                    _place(location, *place)
                location.updated_at = self._ctx.clock.now()
                await tx.session.flush()
                tx.publish(LocationUpdated(location=state_of(location)), tenant_id=tenant.id)
        except StaleDataError as exc:
            raise VersionConflict() from exc
        return location

    async def delete(self, tenant: TenantRef, location_id: uuid.UUID) -> None:
        async with self._ctx.uow.transaction() as tx:
            repo = LocationRepository(tx.session, tenant_id=tenant.id)
            location = await repo.get(location_id)
            if location is None:
                raise LocationNotFound(f"No location {location_id}")
            if await repo.in_use(location_id):
                raise LocationInUse(f"Offerings still use location {location_id}")
            gone = state_of(location).model_copy(
                update={"version": location.version + 1, "deleted": True, "updated_at": self._ctx.clock.now()}
            )
            await repo.delete(location)
            tx.publish(LocationDeleted(location=gone), tenant_id=tenant.id)

    async def autocomplete(self, text: str, session_token: str | None) -> list[Suggestion]:
        if not self.maps.enabled:
            return []
        return await self.maps.autocomplete(text, session_token)


def _place(location: Location, place: Place, source: str) -> None:
    location.address = place.address
    location.latitude = place.latitude
    location.longitude = place.longitude
    location.place_id = place.place_id
    location.source = source


def state_of(location: Location) -> LocationState:
    return LocationState(
        id=location.id,
        tenant_id=location.tenant_id,
        version=location.version,
        name=location.name,
        address=location.address,
        latitude=location.latitude,
        longitude=location.longitude,
        place_id=location.place_id,
        map_url=map_url(location.latitude, location.longitude, location.place_id),
        updated_at=location.updated_at.astimezone(UTC),
    )
