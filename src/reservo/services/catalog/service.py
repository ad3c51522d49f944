"""Offering use cases; every change emits the offering's whole state to feed booking's read-model."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from reservo.contracts.events.catalog import OfferingCreated, OfferingState, OfferingUpdated
from reservo.platform.db.tables import add_tenant_table
from reservo.platform.http.pagination import PageParams, encode_cursor
from reservo.platform.http.problems import ValidationFailed, VersionConflict
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.catalog.errors import (
    CurrencyMismatch,
    LocationUnknown,
    OfferingNotFound,
    VersionRequired,
)
from reservo.services.catalog.models import LocationReplica, Offering
from reservo.services.catalog.places import Near, location_of, locations_by_id
from reservo.services.catalog.repository import OfferingFilter, OfferingRepository
from reservo.services.catalog.schemas import WEEKDAYS, OfferingCreate, OfferingFields, OfferingUpdate

# Stored columns that mirror OfferingFields one to one (price and the id-carrying lists aside).
_SCALARS = (
    "kind",
    "name",
    "description",
    "category",
    "images",
    "status",
    "timezone",
    "tax_rate_bp",
    "location_id",
    "cancellation_free_hours",
    "min_quantity",
    "max_quantity",
    "lead_time_minutes",
    "booking_window_days",
    "hold_minutes",
    "stock",
    "duration_minutes",
    "slot_interval_minutes",
    "capacity_per_slot",
    "buffer_before_minutes",
    "buffer_after_minutes",
)
_PARTS = ("variants", "resources", "sessions")


@dataclass(frozen=True, slots=True)
class NearCursor:
    """The position after a near-me page: the last item's distance and id."""

    distance_km: float
    id: uuid.UUID


class OfferingService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    async def create(self, tenant: TenantRef, data: OfferingCreate) -> Offering:
        fields = _checked(tenant, data)
        await self._check_location(tenant, fields.location_id)
        now = self._ctx.clock.now()
        async with self._ctx.uow.transaction() as tx:
            repo = OfferingRepository(tx.session, tenant_id=tenant.id)
            offering = repo.add(Offering(id=uuid.uuid4(), created_at=now, updated_at=now))
            _apply(offering, fields, tenant)
            await tx.session.flush()
            await repo.replace_days(offering.id, open_days(offering))
            tx.publish(OfferingCreated(offering=state_of(offering)), tenant_id=tenant.id)
        return offering

    async def get(self, tenant: TenantRef, offering_id: uuid.UUID, *, staff: bool = False) -> Offering:
        async with self._ctx.uow.read() as session:
            offering = await OfferingRepository(session, tenant_id=tenant.id).get(offering_id)
        if offering is None or (offering.status != "published" and not staff):
            raise OfferingNotFound(f"No offering {offering_id}")
        return offering

    async def _check_location(self, tenant: TenantRef, location_id: uuid.UUID | None) -> None:
        if location_id is not None and await location_of(self._ctx, tenant, location_id) is None:
            raise LocationUnknown(
                f"Tenant '{tenant.slug}' has no location {location_id}",
                errors=[
                    {"loc": ["body", "location_id"], "type": "location_not_found", "msg": "no such location"}
                ],
            )

    async def locations(self, offerings: list[Offering]) -> dict[uuid.UUID, LocationReplica]:
        """The locations the given offerings point at (deleted ones are left out)."""
        async with self._ctx.uow.read() as session:
            return await locations_by_id(session, (o.location_id for o in offerings))

    async def near(
        self,
        tenant: TenantRef | None,
        where: OfferingFilter,
        near: Near,
        limit: int,
        cursor: NearCursor | None,
    ) -> tuple[list[tuple[Offering, LocationReplica, float]], NearCursor | None]:
        """Offerings within `near`, closest first; `tenant=None` searches every tenant's published ones."""
        async with self._ctx.uow.read() as session:
            repo = OfferingRepository(session, tenant_id=tenant.id if tenant else None)
            rows = await repo.near(where, near)
        if cursor is not None:
            rows = [r for r in rows if (r[2], str(r[0].id)) > (cursor.distance_km, str(cursor.id))]
        items = rows[:limit]
        more = len(rows) > limit
        return items, NearCursor(items[-1][2], items[-1][0].id) if more else None

    async def tenants(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
        """Slug and name of the given tenants, from catalog's tenant replica (for discovery answers)."""
        if not ids:
            return {}
        table = add_tenant_table(Offering.metadata)
        async with self._ctx.uow.read() as session:
            rows = await session.execute(
                select(table.c.id, table.c.slug, table.c.name).where(table.c.id.in_(ids))
            )
            return {row.id: {"slug": row.slug, "name": row.name} for row in rows}

    async def page(
        self, tenant: TenantRef, page: PageParams, where: OfferingFilter | None = None
    ) -> tuple[list[Offering], str | None]:
        async with self._ctx.uow.read() as session:
            rows = await OfferingRepository(session, tenant_id=tenant.id).page(
                where or OfferingFilter(), page.limit + 1, page.cursor
            )
        items = rows[: page.limit]
        more = len(rows) > page.limit
        cursor = encode_cursor(items[-1].created_at, items[-1].id) if more else None
        return items, cursor

    async def update(
        self, tenant: TenantRef, offering_id: uuid.UUID, patch: OfferingUpdate, if_match: int | None
    ) -> Offering:
        expected = if_match if if_match is not None else patch.version
        if expected is None:
            raise VersionRequired()

        if patch.location_id is not None:
            await self._check_location(tenant, patch.location_id)

        def change(offering: Offering) -> bool:
            merged = {**fields_of(offering), **patch.changes()}
            _apply(offering, _checked(tenant, _validated(merged)), tenant)
            return True

        return await self._change(tenant, offering_id, expected, change)

    async def set_status(
        self,
        tenant: TenantRef,
        offering_id: uuid.UUID,
        status: Literal["published", "archived"],
        if_match: int | None,
    ) -> Offering:
        def change(offering: Offering) -> bool:
            if offering.status == status:
                return False  # already so: no new version, no event
            offering.status = status
            return True

        return await self._change(tenant, offering_id, if_match, change)

    async def delete(self, tenant: TenantRef, offering_id: uuid.UUID, if_match: int | None) -> None:
        now = self._ctx.clock.now()

        def change(offering: Offering) -> bool:
            offering.deleted_at = now
            return True

        await self._change(tenant, offering_id, if_match, change)

    async def _change(
        self, tenant: TenantRef, offering_id: uuid.UUID, expected: int | None, change: Any
    ) -> Offering:
        """Load, check the version the caller read, change, and emit the new state in one transaction.
        The UPDATE itself also carries `WHERE version = :read` (VersionMixin), so a concurrent writer
        between our read and our write is a 409 too, not a lost update."""
        try:
            async with self._ctx.uow.transaction() as tx:
                repo = OfferingRepository(tx.session, tenant_id=tenant.id)
                offering = await repo.get(offering_id)
                if offering is None:
                    raise OfferingNotFound(f"No offering {offering_id}")
                if expected is not None and expected != offering.version:
                    raise VersionConflict(
                        f"Offering is at version {offering.version}, not {expected}",
                        current_version=offering.version,
                    )
                if not change(offering):
                    return offering
                offering.updated_at = self._ctx.clock.now()
                await tx.session.flush()
                await repo.replace_days(offering.id, {} if offering.deleted_at else open_days(offering))
                tx.publish(OfferingUpdated(offering=state_of(offering)), tenant_id=tenant.id)
        except StaleDataError as exc:
            raise VersionConflict() from exc
        return offering


def _validated(merged: dict[str, Any]) -> OfferingFields:
    try:
        return OfferingFields.model_validate(merged)
    except ValidationError as exc:
        errors = [
            {"loc": ["body", *map(str, e["loc"])], "type": e["type"], "msg": e["msg"]} for e in exc.errors()
        ]
        raise ValidationFailed(f"{len(errors)} invalid field(s)", errors=errors) from exc


def _checked(tenant: TenantRef, fields: OfferingFields) -> OfferingFields:
    if fields.price.currency != tenant.currency:
        raise CurrencyMismatch(
            f"Tenant '{tenant.slug}' sells in {tenant.currency}, not {fields.price.currency}"
        )
    return fields


def _with_ids(part: str, items: list[BaseModel], known: set[str]) -> list[dict[str, Any]]:
    """Items as stored: an existing `id` is kept, a missing one generated, an unknown one refused."""
    out = []
    for i, item in enumerate(items):
        data = item.model_dump(mode="json")
        if data.get("id") is None:
            data["id"] = str(uuid.uuid4())
        elif data["id"] not in known:
            raise ValidationFailed(
                "1 invalid field(s)",
                errors=[{"loc": ["body", part, str(i), "id"], "type": "unknown_id", "msg": "no such item"}],
            )
        out.append(data)
    return out


def _apply(offering: Offering, fields: OfferingFields, tenant: TenantRef) -> None:
    for name in _SCALARS:
        setattr(offering, name, getattr(fields, name))
    offering.timezone = fields.timezone or tenant.timezone
    offering.price_amount, offering.currency = fields.price.amount, fields.price.currency
    for part in _PARTS:
        known = {str(item["id"]) for item in getattr(offering, part) or []}
        setattr(offering, part, _with_ids(part, getattr(fields, part), known))
    offering.schedule = fields.schedule.model_dump(mode="json") if fields.schedule else None
    weekly = (offering.schedule or {}).get("weekly", [])
    offering.open_weekdays = sum({1 << WEEKDAYS.index(r["weekday"]) for r in weekly})


def fields_of(offering: Offering) -> dict[str, Any]:
    """The stored offering as OfferingFields input (what a PATCH is merged into)."""
    data: dict[str, Any] = {name: getattr(offering, name) for name in _SCALARS}
    data["price"] = {"amount": offering.price_amount, "currency": offering.currency}
    data["schedule"] = offering.schedule
    for part in _PARTS:
        data[part] = list(getattr(offering, part) or [])
    return data


def open_days(offering: Offering) -> dict[date, bool]:
    """Local dates with an explicit answer to "open that day?": session dates and exceptions."""
    days: dict[date, bool] = {}
    tz = ZoneInfo(offering.timezone)
    for s in offering.sessions or []:
        first = datetime.fromisoformat(s["start"]).astimezone(tz).date()
        last = (datetime.fromisoformat(s["end"]) - timedelta(microseconds=1)).astimezone(tz).date()
        while first <= last:
            days[first] = True
            first += timedelta(days=1)
    for e in (offering.schedule or {}).get("exceptions", []):
        days[date.fromisoformat(e["date"])] = not e["closed"]
    return days


def _schedule_payload(schedule: dict[str, Any] | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    exceptions = [
        {
            "date": e["date"],
            "closed": e["closed"],
            "intervals": [(i["start"], i["end"]) for i in e["intervals"]],
        }
        for e in schedule.get("exceptions", [])
    ]
    return {"weekly": schedule.get("weekly", []), "exceptions": exceptions}


def state_of(o: Offering) -> OfferingState:
    """The event payload: everything booking needs to sell the offering, with the row version."""
    return OfferingState.model_validate(
        {
            "id": o.id,
            "tenant_id": o.tenant_id,
            "version": o.version,
            "kind": o.kind,
            "name": o.name,
            "status": o.status,
            "deleted": o.deleted_at is not None,
            "price": {"amount": o.price_amount, "currency": o.currency},
            "variants": o.variants,
            "timezone": o.timezone,
            "tax_rate_bp": o.tax_rate_bp,
            "location_id": o.location_id,
            "min_quantity": o.min_quantity,
            "max_quantity": o.max_quantity,
            "cancellation_free_hours": o.cancellation_free_hours,
            "stock": o.stock,
            "duration_minutes": o.duration_minutes,
            "slot_interval_minutes": o.slot_interval_minutes,
            "capacity_per_slot": o.capacity_per_slot,
            "buffer_before_minutes": o.buffer_before_minutes,
            "buffer_after_minutes": o.buffer_after_minutes,
            "lead_time_minutes": o.lead_time_minutes,
            "booking_window_days": o.booking_window_days,
            "hold_minutes": o.hold_minutes,
            "schedule": _schedule_payload(o.schedule),
            "resources": [
                {"id": r["id"], "name": r["name"], "schedule": _schedule_payload(r.get("schedule"))}
                for r in o.resources
            ],
            "sessions": [
                {"id": s["id"], "start": s["start"], "end": s["end"], "capacity": s["capacity"]}
                for s in o.sessions
            ],
            "updated_at": o.updated_at.astimezone(UTC),
        }
    )
