import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, must } from "../api/client";
import { ErrorAlert, Skeleton } from "../components/ui";
import { formatMoney } from "../lib/format";
import { useI18n } from "../lib/i18n";

export function OfferingsList({ tenant }: { tenant: string }) {
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ["dash-offerings", tenant],
    queryFn: () =>
      must(api.GET("/api/v1/tenants/{tenant}/offerings", { params: { path: { tenant }, query: { status: ["draft", "published", "archived"], limit: 200 } } })),
  });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: "publish" | "archive" }) =>
      action === "publish"
        ? must(api.POST("/api/v1/tenants/{tenant}/offerings/{offering_id}/publish", { params: { path: { tenant, offering_id: id } } }))
        : must(api.POST("/api/v1/tenants/{tenant}/offerings/{offering_id}/archive", { params: { path: { tenant, offering_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["dash-offerings", tenant] }),
  });
  return (
    <div className="space-y-3">
      <Link to={`/dashboard/${tenant}/offerings/new`} className="btn">
        {t("dash.newOffering")}
      </Link>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {act.isError && <ErrorAlert error={act.error} />}
      {!list.data ? (
        <Skeleton className="h-40" />
      ) : (
        <ul className="space-y-2">
          {list.data.items.map((o) => (
            <li key={o.id} className="card flex flex-wrap items-center justify-between gap-2">
              <div>
                <p className="font-semibold">{o.name}</p>
                <p className="text-sm text-slate-700">
                  {t(`store.kind.${o.kind as "service" | "event" | "product"}`)} · {formatMoney(o.price, locale)} · {o.status}
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                <Link to={`/dashboard/${tenant}/offerings/${o.id}`} className="btn-small" aria-label={`${t("common.edit")}: ${o.name}`}>
                  {t("common.edit")}
                </Link>
                {o.status !== "published" && (
                  <button type="button" className="btn-small" onClick={() => act.mutate({ id: o.id, action: "publish" })}>
                    {t("dash.publish")}
                  </button>
                )}
                {o.status !== "archived" && (
                  <button type="button" className="btn-small" onClick={() => act.mutate({ id: o.id, action: "archive" })}>
                    {t("dash.archive")}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
