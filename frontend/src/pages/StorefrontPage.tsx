import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { trackOnce } from "../lib/tracking";
import { api, must, type Offering } from "../api/client";
import { ErrorAlert, Skeleton } from "../components/ui";
import { formatMoney, toMinor } from "../lib/format";
import { useI18n } from "../lib/i18n";
import { useTenant } from "../lib/queries";

type Kind = "service" | "event" | "product";
const KINDS: Kind[] = ["service", "event", "product"];

export function StorefrontPage() {
  const { tenant = "" } = useParams();
  const { t, locale } = useI18n();
  const [params, setParams] = useSearchParams();
  const info = useTenant(tenant);
  useEffect(() => trackOnce(tenant, "page_view"), [tenant]);
  const q = params.get("q") ?? "";
  const kind = (params.get("kind") ?? "") as Kind | "";
  const maxPrice = params.get("max") ?? "";
  const date = params.get("date") ?? "";
  const currency = info.data?.currency ?? "EUR";
  const offerings = useQuery({
    queryKey: ["offerings", tenant, q, kind, maxPrice, date],
    queryFn: () =>
      must(
        api.GET("/api/v1/tenants/{tenant}/offerings", {
          params: {
            path: { tenant },
            query: {
              q: q || undefined,
              kind: kind || undefined,
              max_price: maxPrice ? toMinor(maxPrice, currency) : undefined,
              date: date || undefined,
              limit: 100,
            },
          },
        }),
      ),
    placeholderData: (prev) => prev,
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const brand = info.data?.branding as { primary_color?: string; logo_url?: string } | undefined;
  if (info.isError) return <ErrorAlert error={info.error} onRetry={() => void info.refetch()} />;
  const items = offerings.data?.items ?? [];
  const groups = KINDS.map((k) => ({ kind: k, items: items.filter((o) => o.kind === k) })).filter((g) => g.items.length);
  return (
    <div className="space-y-6">
      <header className="flex items-center gap-3" style={brand?.primary_color ? { borderBottom: `4px solid ${brand.primary_color}` } : undefined}>
        {brand?.logo_url && <img src={brand.logo_url} alt="" className="h-12 w-12 rounded object-cover" />}
        <h1 className="min-h-9 pb-2 text-3xl font-bold">{info.data?.name ?? <Skeleton className="h-9 w-48" />}</h1>
      </header>
      <form role="search" className="card grid gap-3 sm:grid-cols-4" onSubmit={(e) => e.preventDefault()}>
        <div className="sm:col-span-2">
          <label htmlFor="q" className="label">
            {t("store.search")}
          </label>
          <input id="q" type="search" className="input" placeholder={t("store.searchPlaceholder")} value={q} onChange={(e) => set("q", e.target.value)} />
        </div>
        <div>
          <label htmlFor="kind" className="label">
            {t("store.kind")}
          </label>
          <select id="kind" className="input" value={kind} onChange={(e) => set("kind", e.target.value)}>
            <option value="">{t("common.all")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`store.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="max" className="label">
            {t("store.maxPrice")} ({currency})
          </label>
          <input id="max" inputMode="decimal" className="input" value={maxPrice} onChange={(e) => set("max", e.target.value.replace(/[^0-9.,]/g, ""))} />
        </div>
        <div>
          <label htmlFor="date" className="label">
            {t("store.date")}
          </label>
          <input id="date" type="date" className="input" value={date} onChange={(e) => set("date", e.target.value)} />
        </div>
        {(q || kind || maxPrice || date) && (
          <div className="flex items-end">
            <button type="button" className="btn-secondary" onClick={() => setParams({}, { replace: true })}>
              {t("store.clear")}
            </button>
          </div>
        )}
      </form>
      {offerings.isError && <ErrorAlert error={offerings.error} onRetry={() => void offerings.refetch()} />}
      {offerings.isPending ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <Skeleton className="h-36" />
          <Skeleton className="h-36" />
        </div>
      ) : groups.length === 0 ? (
        <p className="text-slate-700">{t("store.noResults")}</p>
      ) : (
        groups.map((g) => (
          <section key={g.kind} aria-labelledby={`h-${g.kind}`}>
            <h2 id={`h-${g.kind}`} className="mb-3 text-xl font-semibold">
              {t(`store.kind.${g.kind}`)}
            </h2>
            <ul className="grid gap-4 sm:grid-cols-2">
              {g.items.map((o) => (
                <li key={o.id}>
                  <OfferingCard tenant={tenant} offering={o} locale={locale} />
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}

function OfferingCard({ tenant, offering: o, locale }: { tenant: string; offering: Offering; locale: string }) {
  const { t } = useI18n();
  const soldOut = o.kind === "product" && o.stock === 0;
  return (
    <article className="card flex h-full flex-col">
      <h3 className="text-lg font-semibold">{o.name}</h3>
      {o.category && <p className="text-sm text-slate-600">{o.category}</p>}
      {o.description && <p className="mt-1 line-clamp-3 text-slate-700">{o.description}</p>}
      <p className="mt-2 font-medium">
        {o.variants.length ? t("store.from", { price: formatMoney(o.price, locale) }) : formatMoney(o.price, locale)}
        {o.duration_minutes ? <span className="ml-2 text-sm text-slate-600">· {t("offer.duration", { n: o.duration_minutes })}</span> : null}
      </p>
      {o.kind === "product" && o.stock != null && (
        <p className={`text-sm ${soldOut ? "font-semibold text-red-700" : "text-slate-700"}`}>
          {soldOut ? t("store.soldOut") : t("store.inStock", { n: o.stock })}
        </p>
      )}
      <div className="mt-auto pt-3">
        <Link to={`/t/${tenant}/o/${o.id}`} className="btn" aria-label={`${t("store.book")}: ${o.name}`}>
          {t("store.book")}
        </Link>
      </div>
    </article>
  );
}
