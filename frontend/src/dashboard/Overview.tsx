import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, must } from "../api/client";
import { ErrorAlert, Skeleton, TextField } from "../components/ui";
import { formatMoney } from "../lib/format";
import { useI18n } from "../lib/i18n";

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Statistics: bookings by status and occupancy per offering as bar charts, revenue per currency. */
export function Overview({ tenant }: { tenant: string }) {
  const { t, locale } = useI18n();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 30 * 86400000)));
  const [to, setTo] = useState(() => isoDay(new Date(Date.now() + 60 * 86400000)));
  const stats = useQuery({
    queryKey: ["stats", tenant, from, to],
    queryFn: () => must(api.GET("/api/v1/tenants/{tenant}/stats", { params: { path: { tenant }, query: { from, to } } })),
  });
  const s = stats.data;
  const statusEntries = Object.entries(s?.bookings_by_status ?? {});
  const maxStatus = Math.max(1, ...statusEntries.map(([, n]) => n));
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap gap-3">
        <TextField label={t("dash.stats.from")} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField label={t("dash.stats.to")} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {stats.isError && <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />}
      {!s ? (
        <Skeleton className="h-64" />
      ) : (
        <div className="grid gap-4 md:grid-cols-2">
          <section className="card" aria-labelledby="rev">
            <h2 id="rev" className="font-semibold">
              {t("dash.stats.revenue")}
            </h2>
            <p className="mt-2 text-2xl font-bold">{s.revenue.length ? s.revenue.map((m) => formatMoney(m, locale)).join(" · ") : "—"}</p>
          </section>
          <section className="card" aria-labelledby="bystatus">
            <h2 id="bystatus" className="font-semibold">
              {t("dash.stats.byStatus")}
            </h2>
            {statusEntries.length === 0 && <p className="mt-2 text-slate-600">{t("common.none")}</p>}
            <dl className="mt-2 space-y-1">
              {statusEntries.map(([status, n]) => (
                <div key={status} className="grid grid-cols-[8rem_1fr_2rem] items-center gap-2">
                  <dt className="text-sm">{t(`booking.status.${status}` as Parameters<typeof t>[0])}</dt>
                  <dd aria-hidden="true" className="h-4 rounded bg-brand-600" style={{ width: `${(n / maxStatus) * 100}%` }} />
                  <dd className="text-right text-sm font-semibold">{n}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section className="card md:col-span-2" aria-labelledby="occ">
            <h2 id="occ" className="font-semibold">
              {t("dash.stats.occupancy")}
            </h2>
            {s.offerings.length === 0 && <p className="mt-2 text-slate-600">{t("common.none")}</p>}
            <dl className="mt-2 space-y-1">
              {s.offerings.map((o) => (
                <div key={o.offering_id} className="grid grid-cols-[10rem_1fr_4rem] items-center gap-2">
                  <dt className="truncate text-sm">{o.name}</dt>
                  <dd aria-hidden="true" className="h-4 rounded bg-slate-200">
                    <div className="h-4 rounded bg-emerald-600" style={{ width: `${Math.min(100, (o.occupancy ?? 0) * 100)}%` }} />
                  </dd>
                  <dd className="text-right text-sm font-semibold">
                    {o.occupancy != null ? `${Math.round(o.occupancy * 100)} %` : o.booked}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
      )}
    </div>
  );
}
