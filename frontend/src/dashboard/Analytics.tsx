import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, must, type TikTokSettings } from "../api/client";
import { ErrorAlert, Notice, Skeleton, TextField } from "../components/ui";
import { formatMoney, localDay } from "../lib/format";
import { useI18n } from "../lib/i18n";
import { useTenant } from "../lib/queries";

function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** Funnel and revenue over local days of the tenant, then the TikTok settings and delivery log. */
export function Analytics({ tenant, owner }: { tenant: string; owner: boolean }) {
  const { t, locale } = useI18n();
  const info = useTenant(tenant);
  const zone = info.data?.timezone ?? "UTC";
  const today = localDay(new Date(), zone);
  const [range, setRange] = useState({ from: daysBefore(today, 29), to: today });
  const query = { from: range.from, to: range.to };
  const funnel = useQuery({
    queryKey: ["analytics-funnel", tenant, range],
    queryFn: () => must(api.GET("/api/v1/tenants/{tenant}/analytics/funnel", { params: { path: { tenant }, query } })),
  });
  const revenue = useQuery({
    queryKey: ["analytics-revenue", tenant, range],
    queryFn: () => must(api.GET("/api/v1/tenants/{tenant}/analytics/revenue", { params: { path: { tenant }, query } })),
  });
  const f = funnel.data?.funnel;
  const pct = (v: number | null | undefined) => (v == null ? "–" : `${Math.round(v * 100)} %`);
  return (
    <div className="space-y-4">
      <section className="card space-y-3" aria-labelledby="analytics-h">
        <h2 id="analytics-h" className="font-semibold">
          {t("an.title")}
        </h2>
        <div className="flex flex-wrap gap-3">
          <TextField label={t("an.from")} type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
          <TextField label={t("an.to")} type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        </div>
        {funnel.isError && <ErrorAlert error={funnel.error} />}
        {!f ? (
          <Skeleton className="h-24" />
        ) : (
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            {(
              [
                ["an.pageViews", f.page_views],
                ["an.views", f.views],
                ["an.checkouts", `${f.checkouts} (${pct(f.checkout_rate)})`],
                ["an.bookings", f.bookings],
                ["an.paid", `${f.paid} (${pct(f.paid_rate)})`],
              ] as const
            ).map(([key, value]) => (
              <div key={key} className="rounded-md bg-slate-50 p-3">
                <dt className="text-sm text-slate-600">{t(key)}</dt>
                <dd className="text-xl font-semibold">{value}</dd>
              </div>
            ))}
          </dl>
        )}
        <h3 className="font-semibold">{t("an.revenue")}</h3>
        {revenue.isError && <ErrorAlert error={revenue.error} />}
        {revenue.data && revenue.data.totals.length === 0 && <p className="text-sm text-slate-600">{t("an.noRevenue")}</p>}
        {revenue.data && revenue.data.totals.length > 0 && (
          <table className="w-full text-left text-sm">
            <thead>
              <tr>
                <th scope="col">{t("an.currency")}</th>
                <th scope="col">{t("an.gross")}</th>
                <th scope="col">{t("an.refunded")}</th>
                <th scope="col">{t("an.net")}</th>
              </tr>
            </thead>
            <tbody>
              {revenue.data.totals.map((r) => (
                <tr key={r.currency}>
                  <td>{r.currency}</td>
                  <td>{formatMoney(r.gross, locale)}</td>
                  <td>{formatMoney(r.refunded, locale)}</td>
                  <td>{formatMoney(r.net, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <TikTok tenant={tenant} owner={owner} />
    </div>
  );
}

interface TikTokForm {
  pixel_code: string;
  access_token: string;
  test_event_code: string;
  enabled: boolean;
}

function TikTok({ tenant, owner }: { tenant: string; owner: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const current = useQuery({
    queryKey: ["tiktok", tenant],
    queryFn: async (): Promise<TikTokSettings | null> => {
      const answer = await api.GET("/api/v1/tenants/{tenant}/integrations/tiktok", { params: { path: { tenant } } });
      if (answer.response.status === 404) return null;
      return must(Promise.resolve(answer));
    },
  });
  const log = useQuery({
    queryKey: ["tiktok-deliveries", tenant],
    queryFn: () =>
      must(api.GET("/api/v1/tenants/{tenant}/integrations/tiktok/deliveries", { params: { path: { tenant }, query: { limit: 20 } } })),
  });
  const form = useForm<TikTokForm>({ values: { pixel_code: current.data?.pixel_code ?? "", access_token: "", test_event_code: current.data?.test_event_code ?? "", enabled: current.data?.enabled ?? true } });
  const save = useMutation({
    mutationFn: (v: TikTokForm) =>
      must(
        api.PUT("/api/v1/tenants/{tenant}/integrations/tiktok", {
          params: { path: { tenant } },
          body: { pixel_code: v.pixel_code, access_token: v.access_token || null, test_event_code: v.test_event_code || null, enabled: v.enabled },
        }),
      ),
    onSuccess: (data) => qc.setQueryData(["tiktok", tenant], data),
  });
  if (current.isError) return <ErrorAlert error={current.error} />;
  if (current.data === undefined) return <Skeleton className="h-48" />;
  return (
    <section className="card space-y-3" aria-labelledby="tiktok-h">
      <h2 id="tiktok-h" className="font-semibold">
        {t("an.tiktok")}
      </h2>
      {current.data && (
        <p className="text-sm text-slate-700">
          {t("an.tokenHint")}: ••••{current.data.access_token_hint} · {t("an.breaker")}: {current.data.breaker.state}
        </p>
      )}
      {owner ? (
        <form className="space-y-3" onSubmit={form.handleSubmit((v) => save.mutate(v))}>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label={t("an.pixel")} required {...form.register("pixel_code")} />
            <TextField label={t("an.token")} type="password" autoComplete="off" {...form.register("access_token")} />
            <TextField label={t("an.testCode")} {...form.register("test_event_code")} />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" {...form.register("enabled")} /> {t("an.enabled")}
            </label>
          </div>
          {save.isError && <ErrorAlert error={save.error} />}
          {save.isSuccess && (
            <div role="status">
              <Notice tone="success">{t("common.saved")}</Notice>
            </div>
          )}
          <button type="submit" className="btn" disabled={save.isPending}>
            {t("common.save")}
          </button>
        </form>
      ) : (
        !current.data && <p className="text-sm text-slate-600">{t("an.notConfigured")}</p>
      )}
      <h3 className="font-semibold">{t("an.deliveries")}</h3>
      {log.data && log.data.items.length === 0 && <p className="text-sm text-slate-600">{t("an.noDeliveries")}</p>}
      {log.data && log.data.items.length > 0 && (
        <table className="w-full text-left text-sm">
          <thead>
            <tr>
              <th scope="col">{t("an.event")}</th>
              <th scope="col">{t("an.status")}</th>
              <th scope="col">{t("an.attempts")}</th>
              <th scope="col">{t("an.error")}</th>
            </tr>
          </thead>
          <tbody>
            {log.data.items.map((d) => (
              <tr key={d.id}>
                <td>{d.event}</td>
                <td>{d.status}</td>
                <td>{d.attempts}</td>
                <td>{d.last_error ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
