import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, Navigate, useSearchParams } from "react-router";
import { api, must, type Booking } from "../api/client";
import { CancelBooking } from "../components/CancelBooking";
import { ErrorAlert, Skeleton, StatusBadge } from "../components/ui";
import { useAuth } from "../lib/auth";
import { formatDateTime, formatMoney, visitorZone, zoneLabel } from "../lib/format";
import { useI18n } from "../lib/i18n";
import { canCancel } from "../lib/policy";

type Filter = "upcoming" | "past" | "cancelled";

export function filterBookings(items: Booking[], filter: Filter, now: Date): Booking[] {
  const ended = (b: Booking) => (b.end ?? b.start ?? b.created_at) < now.toISOString();
  const gone = (b: Booking) => b.status === "cancelled" || b.status === "expired";
  if (filter === "cancelled") return items.filter(gone);
  if (filter === "past") return items.filter((b) => !gone(b) && ended(b));
  return items.filter((b) => !gone(b) && !ended(b));
}

export function MyBookingsPage() {
  const { t, locale } = useI18n();
  const { user, ready } = useAuth();
  const [params, setParams] = useSearchParams();
  const filter = (params.get("show") ?? "upcoming") as Filter;
  const pages = useInfiniteQuery({
    queryKey: ["my-bookings"],
    enabled: !!user,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => must(api.GET("/api/v1/me/bookings", { params: { query: { limit: 20, cursor: pageParam } } })),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (ready && !user) return <Navigate to="/signin?next=/me/bookings" replace />;
  const items = filterBookings(pages.data?.pages.flatMap((p) => p.items) ?? [], filter, new Date());
  const zone = visitorZone();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("me.title")}</h1>
      <div role="group" aria-label={t("me.filter")} className="flex flex-wrap gap-2">
        {(["upcoming", "past", "cancelled"] as const).map((f) => (
          <button key={f} type="button" aria-pressed={filter === f} className={filter === f ? "btn" : "btn-secondary"} onClick={() => setParams({ show: f })}>
            {t(`me.${f}`)}
          </button>
        ))}
      </div>
      {pages.isError && <ErrorAlert error={pages.error} onRetry={() => void pages.refetch()} />}
      {pages.isPending ? (
        <Skeleton className="h-32" />
      ) : items.length === 0 ? (
        <p>{t("me.empty")}</p>
      ) : (
        <ul className="space-y-3">
          {items.map((b) => {
            return (
              <li key={b.id} className="card flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <p className="font-semibold">{b.offering_name}</p>
                  <p className="text-sm text-slate-700">
                    {b.start ? `${formatDateTime(b.start, zone, locale)} ${zoneLabel(zone, locale, new Date(b.start))}` : formatDateTime(b.created_at, zone, locale)} ·{" "}
                    {formatMoney(b.total, locale)}
                  </p>
                  <StatusBadge status={b.status} />
                </div>
                <div className="flex flex-wrap gap-2">
                  <BookingLink booking={b} />
                  {canCancel(b) && <TenantCancel booking={b} />}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {pages.hasNextPage && (
        <button type="button" className="btn-secondary" disabled={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
          {t("common.loadMore")}
        </button>
      )}
    </div>
  );
}

function BookingLink({ booking }: { booking: Booking }) {
  const { t } = useI18n();
  if (!booking.tenant_slug) return null;
  return (
    <Link to={`/t/${booking.tenant_slug}/bookings/${booking.id}`} className="btn-secondary" aria-label={`${t("me.open")}: ${booking.offering_name}`}>
      {t("me.open")}
    </Link>
  );
}

function TenantCancel({ booking }: { booking: Booking }) {
  if (!booking.tenant_slug) return null;
  return <CancelBooking booking={booking} tenant={booking.tenant_slug} token={null} />;
}
