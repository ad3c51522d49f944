// "Near me" on the home page: the browser's position, then offerings of every business within 25 km,
// closest first (GET /api/v1/discover).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, must } from "../api/client";
import { ErrorAlert, Notice, Skeleton } from "../components/ui";
import { formatMoney } from "../lib/format";
import { useI18n } from "../lib/i18n";

export function NearMe() {
  const { t, locale } = useI18n();
  const [point, setPoint] = useState<string | null>(null);
  const [denied, setDenied] = useState(false);
  const found = useQuery({
    queryKey: ["discover", point],
    enabled: point !== null,
    queryFn: () => must(api.GET("/api/v1/discover", { params: { query: { near: point!, radius_km: 25 } } })),
  });
  const locate = () =>
    navigator.geolocation?.getCurrentPosition(
      (p) => setPoint(`${p.coords.latitude.toFixed(5)},${p.coords.longitude.toFixed(5)}`),
      () => setDenied(true),
    );
  return (
    <section className="card max-w-xl space-y-3" aria-labelledby="near-me-h">
      <h2 id="near-me-h" className="text-xl font-semibold">
        {t("loc.nearMe")}
      </h2>
      <button type="button" className="btn-secondary" onClick={locate}>
        {t("loc.nearMe")}
      </button>
      {denied && <Notice tone="warn">{t("loc.nearDenied")}</Notice>}
      {found.isError && <ErrorAlert error={found.error} />}
      {point !== null && !found.data && !found.isError && <Skeleton className="h-16" />}
      {found.data && (
        <ul className="space-y-2">
          {found.data.items.length === 0 && <li className="text-sm text-slate-600">{t("loc.nearNone")}</li>}
          {found.data.items.map((o) => (
            <li key={o.id}>
              <Link className="link" to={`/t/${o.tenant.slug}/o/${o.id}`}>
                {o.name}
              </Link>{" "}
              <span className="text-sm text-slate-600">
                {o.tenant.name} · {o.distance_km?.toFixed(1)} km · {formatMoney(o.price, locale)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
