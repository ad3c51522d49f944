"""The analytics service: counts browser and server events into per-tenant daily figures."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from reservo.contracts.events.analytics import BrowserEventCollected
from reservo.platform.auth.actor import Actor
from reservo.platform.db.uow import Transaction
from reservo.platform.http.ratelimit import enforce
from reservo.platform.schemas import Money
from reservo.platform.service import ServiceContext
from reservo.platform.tenancy import TenantRef
from reservo.services.analytics.errors import CollectInvalid, InvalidDateRange
from reservo.services.analytics.repository import AnalyticsRepository, local_day
from reservo.services.analytics.schemas import (
    AnalyticsSettingsIn,
    AnalyticsSettingsOut,
    CollectIn,
    CollectOut,
    CurrencyRevenue,
    DayRevenue,
    Funnel,
    FunnelOut,
    OccupancyDay,
    OccupancyOut,
    OfferingOccupancy,
    Range,
    RevenueOut,
    TopOffering,
    TopOfferingsOut,
)
from reservo.services.analytics.settings import AnalyticsSettings

# Metric names in daily_metrics (the dimension in brackets).
BROWSER_METRIC = {"page_view": "page_views", "view_content": "views", "initiate_checkout": "checkouts"}


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class AnalyticsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self.settings = ctx.settings_of(AnalyticsSettings)

    # -- collect -------------------------------------------------------------------------------

    async def collect(
        self, tenant: TenantRef, body: CollectIn, actor: Actor | None, ip: str, user_agent: str | None
    ) -> CollectOut:
        s = self.settings
        await enforce(
            self._ctx.rate_limiter, f"collect:{tenant.id}:{ip}", s.collect_limit, s.collect_window_seconds
        )
        if body.kind == "view_content" and body.offering_id is None:
            raise CollectInvalid("view_content needs `offering_id`")
        if body.kind == "initiate_checkout" and body.offering_id is None and body.booking_id is None:
            raise CollectInvalid("initiate_checkout needs `offering_id` or `booking_id`")
        event_id = body.event_id or f"web-{uuid.uuid4().hex}"
        if not body.consent.analytics:
            return CollectOut(event_id=event_id, counted=False)  # nothing stored, nothing counted
        now = self._ctx.clock.now()
        marketing = body.consent.marketing
        async with self._ctx.uow.transaction() as tx:
            repo = AnalyticsRepository(tx.session, tenant_id=tenant.id)
            config = await repo.settings()
            keep_client = marketing and config is not None and config.keep_client_details
            day = local_day(now, tenant.timezone)
            counted = await repo.record(
                {
                    "event_id": event_id,
                    "kind": body.kind,
                    "occurred_at": now,
                    "day": day,
                    "offering_id": body.offering_id,
                    "booking_id": body.booking_id,
                    "user_id": actor.user_id if actor else None,
                    "ttclid": body.ttclid if marketing else None,
                    "ip": ip[:64] if keep_client else None,
                    "user_agent": (user_agent or "")[:400] or None if keep_client else None,
                }
            )
            if counted:
                await repo.add(day, BROWSER_METRIC[body.kind])
                if body.offering_id and body.kind == "view_content":
                    await repo.add(day, "offering_views", dimension=str(body.offering_id))
                if marketing:
                    tx.publish(
                        BrowserEventCollected(
                            tenant_id=tenant.id,
                            event_id=event_id,
                            kind=body.kind,
                            occurred_at=now,
                            offering_id=body.offering_id,
                            booking_id=body.booking_id,
                            user_id=actor.user_id if actor else None,
                            url=body.url,
                            referrer=body.referrer,
                            ttclid=body.ttclid,
                            ip=ip if ip != "unknown" else None,
                            user_agent=(user_agent or "")[:400] or None,
                        ),
                        tenant_id=tenant.id,
                    )
        return CollectOut(event_id=event_id, counted=counted)

    # -- settings ------------------------------------------------------------------------------

    async def get_settings(self, tenant: TenantRef) -> AnalyticsSettingsOut:
        async with self._ctx.uow.read() as session:
            found = await AnalyticsRepository(session, tenant_id=tenant.id).settings()
        if found is None:
            return AnalyticsSettingsOut(
                retention_days=self.settings.default_retention_days, keep_client_details=False
            )
        return AnalyticsSettingsOut(
            retention_days=found.retention_days, keep_client_details=found.keep_client_details
        )

    async def put_settings(self, tenant: TenantRef, body: AnalyticsSettingsIn) -> AnalyticsSettingsOut:
        async with self._ctx.uow.transaction() as tx:
            repo = AnalyticsRepository(tx.session, tenant_id=tenant.id)
            await repo.save_settings(body.retention_days, body.keep_client_details, self._ctx.clock.now())
        return AnalyticsSettingsOut(**body.model_dump())

    # -- reports -------------------------------------------------------------------------------

    def range(self, tenant: TenantRef, start: date | None, end: date | None) -> Range:
        today = local_day(self._ctx.clock.now(), tenant.timezone)
        end = end or today
        start = start or end - timedelta(days=29)
        if start > end:
            raise InvalidDateRange("`from` is after `to`")
        if (end - start).days + 1 > self.settings.max_report_days:
            raise InvalidDateRange(f"At most {self.settings.max_report_days} days per report")
        return Range(start=start, end=end, timezone=tenant.timezone)

    async def _metrics(self, tenant: TenantRef, r: Range) -> list[Any]:
        async with self._ctx.uow.read() as session:
            return list(await AnalyticsRepository(session, tenant_id=tenant.id).metrics(r.start, r.end))

    async def funnel(self, tenant: TenantRef, r: Range) -> FunnelOut:
        totals: dict[str, int] = defaultdict(int)
        for m in await self._metrics(tenant, r):
            if m.dimension == "":
                totals[m.metric] += m.value
        funnel = Funnel(
            page_views=totals["page_views"],
            views=totals["views"],
            checkouts=totals["checkouts"],
            bookings=totals["bookings"],
            paid=totals["paid"],
            checkout_rate=_rate(totals["checkouts"], totals["views"]),
            paid_rate=_rate(totals["paid"], totals["checkouts"]),
        )
        return FunnelOut(range=r, funnel=funnel)

    async def revenue(self, tenant: TenantRef, r: Range) -> RevenueOut:
        gross: dict[str, int] = defaultdict(int)
        refunded: dict[str, int] = defaultdict(int)
        payments: dict[str, int] = defaultdict(int)
        days: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
        for m in await self._metrics(tenant, r):
            if m.metric == "revenue":
                gross[m.dimension] += m.value
                days[(m.day, m.dimension)][0] += m.value
            elif m.metric == "refunded":
                refunded[m.dimension] += m.value
                days[(m.day, m.dimension)][1] += m.value
            elif m.metric == "payments":
                payments[m.dimension] += m.value
        totals = [
            CurrencyRevenue(
                currency=c,
                gross=Money(amount=gross[c], currency=c),
                refunded=Money(amount=refunded[c], currency=c),
                net=Money(amount=max(gross[c] - refunded[c], 0), currency=c),
                payments=payments[c],
            )
            for c in sorted(set(gross) | set(refunded))
        ]
        return RevenueOut(
            range=r,
            totals=totals,
            days=[
                DayRevenue(day=d, currency=c, gross=v[0], refunded=v[1]) for (d, c), v in sorted(days.items())
            ],
        )

    async def top_offerings(self, tenant: TenantRef, r: Range, limit: int) -> TopOfferingsOut:
        per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for m in await self._metrics(tenant, r):
            if m.metric.startswith("offering_") and m.dimension:
                per[m.dimension][m.metric.removeprefix("offering_")] += m.value
        ranked = sorted(
            per.items(), key=lambda kv: (-kv[1]["paid"], -kv[1]["bookings"], -kv[1]["units"], kv[0])
        )
        ranked = [kv for kv in ranked if kv[1]["bookings"] or kv[1]["paid"]][:limit]
        ids = [uuid.UUID(k) for k, _ in ranked]
        async with self._ctx.uow.read() as session:
            names = await AnalyticsRepository(session, tenant_id=tenant.id).offering_names(ids)
        items = [
            TopOffering(
                offering_id=uuid.UUID(k),
                name=names.get(uuid.UUID(k)),
                bookings=v["bookings"],
                units=v["units"],
                paid=v["paid"],
                cancelled=v["cancelled"],
            )
            for k, v in ranked
        ]
        return TopOfferingsOut(range=r, items=items)

    async def occupancy(self, tenant: TenantRef, r: Range) -> OccupancyOut:
        """Per local day: confirmed and cancelled units, and per offering booked / capacity."""
        per: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        for m in await self._metrics(tenant, r):
            if m.metric == "units_booked":
                per[m.day][0] += m.value
            elif m.metric == "units_cancelled":
                per[m.day][1] += m.value
        async with self._ctx.uow.read() as session:
            repo = AnalyticsRepository(session, tenant_id=tenant.id)
            rows = await repo.occupancy(r.start, r.end)
            names = await repo.offering_names(sorted({row.offering_id for row in rows}))
        offerings: dict[date, list[OfferingOccupancy]] = defaultdict(list)
        for row in rows:
            booked, capacity = int(row.booked or 0), row.capacity
            offerings[row.service_day].append(
                OfferingOccupancy(
                    offering_id=row.offering_id,
                    name=names.get(row.offering_id),
                    booked=booked,
                    capacity=capacity,
                    occupancy=_rate(booked, capacity or 0),
                )
            )
        return OccupancyOut(
            range=r,
            days=[
                OccupancyDay(
                    day=d,
                    units_booked=per[d][0],
                    units_cancelled=per[d][1],
                    units_net=per[d][0] - per[d][1],
                    offerings=offerings.get(d, []),
                )
                for d in sorted(per.keys() | offerings.keys())
            ],
        )


async def count_server_event(
    tx: Transaction,
    tenant_id: uuid.UUID,
    event_id: uuid.UUID,
    kind: str,
    at: datetime,
    extra: dict[str, Any],
) -> tuple[AnalyticsRepository, date] | None:
    """Record a bus event once; the caller adds its metrics only when this returns (repo, day)."""
    repo, timezone = await analytics_of(tx, tenant_id)
    values = raw_event_row(event_id, kind, at, extra, timezone)
    if not await repo.record(values):
        return None
    return repo, values["day"]


async def analytics_of(tx: Transaction, tenant_id: uuid.UUID) -> tuple[AnalyticsRepository, str]:
    """The tenant's repository writing at the end of `tx`, and its timezone, read once per
    transaction (a consumer batch of the tenant's events)."""
    read = AnalyticsRepository(tx.session, tenant_id=tenant_id).timezone
    timezone = await tx.cached(("analytics_timezone", tenant_id), read)
    return AnalyticsRepository(tx.session, tenant_id=tenant_id, timezone=timezone, later=tx), timezone


def raw_event_row(
    event_id: uuid.UUID, kind: str, at: datetime, extra: dict[str, Any], timezone: str
) -> dict[str, Any]:
    return {
        "event_id": str(event_id),
        "kind": kind,
        "occurred_at": at,
        "day": local_day(at, timezone),
        "offering_id": None,
        "booking_id": None,
        "user_id": None,
        "amount": None,
        "currency": None,
        **extra,
    }
