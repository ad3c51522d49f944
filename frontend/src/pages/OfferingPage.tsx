import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { api, must, type Offering } from "../api/client";
import { SlotPicker } from "../components/SlotPicker";
import { Steps } from "../components/Steps";
import { ErrorAlert, Skeleton } from "../components/ui";
import { formatDateTime, formatMoney, localDay, monthBounds, visitorZone } from "../lib/format";
import { useI18n } from "../lib/i18n";
import { useOffering } from "../lib/queries";
import { trackOnce } from "../lib/tracking";

export function OfferingPage() {
  const { tenant = "", offeringId = "" } = useParams();
  const { t, locale } = useI18n();
  const offering = useOffering(tenant, offeringId);
  useEffect(() => trackOnce(tenant, "view_content", offeringId), [tenant, offeringId]);
  if (offering.isError) return <ErrorAlert error={offering.error} onRetry={() => void offering.refetch()} />;
  const o = offering.data;
  return (
    <div className="space-y-6">
      <Steps current={0} />
      <nav>
        <Link to={`/t/${tenant}`} className="link">
          ← {t("common.back")}
        </Link>
      </nav>
      {!o ? (
        <Skeleton className="h-40" />
      ) : (
        <>
          <header>
            <h1 className="text-3xl font-bold">{o.name}</h1>
            {o.description && <p className="mt-2 max-w-2xl text-slate-700">{o.description}</p>}
            {o.location && (
              <p className="mt-2 text-slate-700">
                <span className="font-medium">{t("loc.where")}:</span> {o.location.address}{" "}
                <a className="link" href={o.location.map_url} target="_blank" rel="noopener noreferrer">
                  {t("loc.map")}
                </a>
              </p>
            )}
            <p className="mt-2 text-lg font-semibold">{formatMoney(o.price, locale)}</p>
            {o.cancellation_free_hours != null && <p className="text-sm text-slate-600">{t("offer.policy", { n: o.cancellation_free_hours })}</p>}
          </header>
          {o.kind === "product" ? <ProductPicker tenant={tenant} offering={o} /> : <TimePicker tenant={tenant} offering={o} />}
        </>
      )}
    </div>
  );
}

function useVariant(o: Offering): [string, (v: string) => void] {
  const [params, setParams] = useSearchParams();
  const v = params.get("variant") ?? o.variants[0]?.id ?? "";
  return [
    v,
    (next) => {
      const p = new URLSearchParams(params);
      p.set("variant", next);
      setParams(p, { replace: true });
    },
  ];
}

function VariantSelect({ o, value, onChange }: { o: Offering; value: string; onChange: (v: string) => void }) {
  const { locale } = useI18n();
  if (!o.variants.length) return null;
  return (
    <fieldset className="card">
      <legend className="px-1 font-semibold">{o.name}</legend>
      <div className="flex flex-wrap gap-3">
        {o.variants.map((v) => (
          <label key={v.id} className="flex min-h-11 items-center gap-2">
            <input type="radio" name="variant" value={v.id} checked={value === v.id} onChange={() => onChange(v.id)} />
            {v.name} · {formatMoney(v.price, locale)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function TimePicker({ tenant, offering: o }: { tenant: string; offering: Offering }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [variant, setVariant] = useVariant(o);
  const todayLocal = localDay(new Date(), o.timezone);
  const minMonth = { year: Number(todayLocal.slice(0, 4)), month: Number(todayLocal.slice(5, 7)) };
  const monthParam = params.get("month");
  const [year, month] = monthParam ? monthParam.split("-").map(Number) as [number, number] : [minMonth.year, minMonth.month];
  const day = params.get("day");
  const start = params.get("start");
  const [autoJumped, setAutoJumped] = useState(false);
  const bounds = monthBounds(year, month);
  const availability = useQuery({
    queryKey: ["availability", tenant, o.id, bounds.from, variant],
    queryFn: () =>
      must(
        api.GET("/api/v1/tenants/{tenant}/offerings/{offering_id}/availability", {
          params: {
            path: { tenant, offering_id: o.id },
            query: { from: bounds.from < todayLocal ? todayLocal : bounds.from, to: bounds.to, variant: variant || undefined },
          },
        }),
      ),
    refetchInterval: 60_000,
  });
  const update = (values: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(values)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    setParams(p, { replace: false });
  };
  // The current month has nothing left: look at the next one by itself (once).
  useEffect(() => {
    if (!autoJumped && !monthParam && availability.data && availability.data.slots.length === 0) {
      setAutoJumped(true);
      const m0 = year * 12 + month;
      update({ month: `${Math.floor(m0 / 12)}-${String((m0 % 12) + 1).padStart(2, "0")}` });
    }
    // Runs when a month's answer arrives; `update` is rebuilt each render and needs no re-run.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [availability.data, autoJumped, monthParam]);
  const chosen = start ? availability.data?.slots.find((s) => s.start === start) : undefined;
  return (
    <div className="space-y-4">
      <VariantSelect o={o} value={variant} onChange={setVariant} />
      {availability.isError && <ErrorAlert error={availability.error} onRetry={() => void availability.refetch()} />}
      <SlotPicker
        year={year}
        month={month}
        minMonth={minMonth}
        slots={availability.data?.slots}
        zone={o.timezone}
        visitorZone={visitorZone()}
        day={day}
        start={start}
        onMonth={(y, m) => update({ month: `${y}-${String(m).padStart(2, "0")}`, day: null, start: null })}
        onDay={(d) => update({ day: d, start: null })}
        onSlot={(s) => update({ start: s })}
      />
      <div className="sticky bottom-0 -mx-3 flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 bg-white/95 px-3 py-3 sm:mx-0 sm:rounded-lg sm:border">
        <p aria-live="polite">{chosen ? t("offer.selected", { when: formatDateTime(chosen.start, o.timezone, locale) }) : t("offer.pickTime")}</p>
        <button
          type="button"
          className="btn"
          disabled={!chosen}
          onClick={() => {
            const q = new URLSearchParams({ start: chosen!.start });
            if (variant) q.set("variant", variant);
            navigate(`/t/${tenant}/o/${o.id}/book?${q}`);
          }}
        >
          {t("offer.continue")}
        </button>
      </div>
    </div>
  );
}

function ProductPicker({ tenant, offering: o }: { tenant: string; offering: Offering }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [variant, setVariant] = useVariant(o);
  const [qty, setQty] = useState(Math.max(1, o.min_quantity));
  const today = localDay(new Date(), o.timezone);
  const availability = useQuery({
    queryKey: ["availability", tenant, o.id, "product", variant],
    queryFn: () =>
      must(
        api.GET("/api/v1/tenants/{tenant}/offerings/{offering_id}/availability", {
          params: { path: { tenant, offering_id: o.id }, query: { from: today, to: today, variant: variant || undefined } },
        }),
      ),
  });
  const remaining = availability.data?.remaining ?? null;
  const max = Math.min(remaining ?? 100, o.max_quantity ?? 100);
  const soldOut = remaining === 0;
  return (
    <div className="space-y-4">
      <VariantSelect o={o} value={variant} onChange={setVariant} />
      {availability.isError && <ErrorAlert error={availability.error} />}
      <p className={soldOut ? "font-semibold text-red-700" : "text-slate-700"} aria-live="polite">
        {availability.isPending ? "\u00a0" : soldOut ? t("store.soldOut") : remaining != null ? t("offer.stock", { n: remaining }) : ""}
      </p>
      <div className="flex items-center gap-2">
        <span id="qty-label" className="label">
          {t("offer.quantity")}
        </span>
        <button type="button" className="btn-small" aria-label={t("offer.decrease", { name: o.name })} disabled={qty <= Math.max(1, o.min_quantity)} onClick={() => setQty(qty - 1)}>
          −
        </button>
        <output aria-labelledby="qty-label" className="w-10 text-center text-lg font-semibold">
          {qty}
        </output>
        <button type="button" className="btn-small" aria-label={t("offer.increase", { name: o.name })} disabled={qty >= max} onClick={() => setQty(qty + 1)}>
          +
        </button>
      </div>
      <button
        type="button"
        className="btn"
        disabled={soldOut || availability.isPending}
        onClick={() => {
          const q = new URLSearchParams({ qty: String(qty) });
          if (variant) q.set("variant", variant);
          navigate(`/t/${tenant}/o/${o.id}/book?${q}`);
        }}
      >
        {t("offer.continue")}
      </button>
    </div>
  );
}
