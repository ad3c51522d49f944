import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { api, must, type Booking } from "../api/client";
import { ErrorAlert, SelectField, Skeleton, StatusBadge, TextField } from "../components/ui";
import { formatDateTime, formatMoney } from "../lib/format";
import { useI18n } from "../lib/i18n";
import { useTenant } from "../lib/queries";
import { RefundButton } from "./RefundButton";

const STATUSES = ["pending", "confirmed", "cancelled", "expired", "completed", "no_show"] as const;
type Status = (typeof STATUSES)[number];
type Action = "confirm" | "cancel" | "complete" | "no-show";

/** Which actions the state machine allows from a status (booking/lifecycle.py). */
export function actionsFor(status: string): Action[] {
  if (status === "pending") return ["confirm", "cancel"];
  if (status === "confirmed") return ["complete", "no-show", "cancel"];
  return [];
}

export function BookingsTable({ tenant }: { tenant: string }) {
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const info = useTenant(tenant);
  const [params, setParams] = useSearchParams();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const status = (params.get("status") ?? "") as Status | "";
  const offering = params.get("offering") ?? "";
  const email = params.get("email") ?? "";
  const cursor = cursors.at(-1);
  const offerings = useQuery({
    queryKey: ["dash-offerings", tenant],
    queryFn: () =>
      must(api.GET("/api/v1/tenants/{tenant}/offerings", { params: { path: { tenant }, query: { status: ["draft", "published", "archived"], limit: 200 } } })),
  });
  const list = useQuery({
    queryKey: ["dash-bookings", tenant, status, offering, email, cursor],
    queryFn: () =>
      must(
        api.GET("/api/v1/tenants/{tenant}/bookings", {
          params: {
            path: { tenant },
            query: { status: status || undefined, offering_id: offering || undefined, email: email || undefined, limit: 25, cursor },
          },
        }),
      ),
    refetchInterval: 15_000,
    placeholderData: (prev) => prev,
  });
  const act = useMutation({
    mutationFn: ({ b, action }: { b: Booking; action: Action }) => {
      const path = { tenant, booking_id: b.id };
      const body = { version: b.version };
      switch (action) {
        case "confirm":
          return must(api.POST("/api/v1/tenants/{tenant}/bookings/{booking_id}/confirm", { params: { path }, body }));
        case "cancel":
          return must(api.POST("/api/v1/tenants/{tenant}/bookings/{booking_id}/cancel", { params: { path }, body }));
        case "complete":
          return must(api.POST("/api/v1/tenants/{tenant}/bookings/{booking_id}/complete", { params: { path }, body }));
        case "no-show":
          return must(api.POST("/api/v1/tenants/{tenant}/bookings/{booking_id}/no-show", { params: { path }, body }));
      }
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ["dash-bookings", tenant] }),
  });
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setCursors([undefined]);
  };
  const zone = info.data?.timezone ?? "UTC";
  const label: Record<Action, string> = { confirm: t("dash.b.confirm"), cancel: t("dash.b.cancel"), complete: t("dash.b.complete"), "no-show": t("dash.b.noShow") };
  return (
    <div className="space-y-3">
      <div className="card grid gap-3 sm:grid-cols-3">
        <SelectField label={t("common.status")} value={status} onChange={(e) => set("status", e.target.value)}>
          <option value="">{t("common.all")}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`booking.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("dash.b.offering")} value={offering} onChange={(e) => set("offering", e.target.value)}>
          <option value="">{t("common.all")}</option>
          {offerings.data?.items.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <TextField label={t("dash.b.email")} type="search" defaultValue={email} onBlur={(e) => set("email", e.target.value)} onKeyDown={(e) => e.key === "Enter" && set("email", e.currentTarget.value)} />
      </div>
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {act.isError && <ErrorAlert error={act.error} />}
      {!list.data ? (
        <Skeleton className="h-64" />
      ) : list.data.items.length === 0 ? (
        <p>{t("common.none")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label={t("dash.bookings")}>
          <table className="min-w-full text-left text-sm">
            <thead className="bg-slate-100">
              <tr>
                <th scope="col" className="p-2">{t("dash.b.customer")}</th>
                <th scope="col" className="p-2">{t("dash.b.offering")}</th>
                <th scope="col" className="p-2">{t("dash.b.when")}</th>
                <th scope="col" className="p-2">{t("common.status")}</th>
                <th scope="col" className="p-2">{t("dash.b.total")}</th>
                <th scope="col" className="p-2">{t("dash.b.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((b) => (
                <tr key={b.id} className="border-t border-slate-100">
                  <td className="p-2">
                    {b.customer.name}
                    <br />
                    <span className="text-slate-600">{b.customer.email}</span>
                  </td>
                  <td className="p-2">{b.offering_name}</td>
                  <td className="p-2">{b.start ? formatDateTime(b.start, zone, locale) : formatDateTime(b.created_at, zone, locale)}</td>
                  <td className="p-2">
                    <StatusBadge status={b.status} />
                  </td>
                  <td className="p-2">{formatMoney(b.total, locale)}</td>
                  <td className="p-2">
                    <div className="flex flex-wrap gap-1">
                      {actionsFor(b.status).map((a) => (
                        <button
                          key={a}
                          type="button"
                          className="btn-small"
                          disabled={act.isPending}
                          onClick={() => act.mutate({ b, action: a })}
                          aria-label={`${label[a]}: ${b.customer.name}, ${b.offering_name}`}
                        >
                          {label[a]}
                        </button>
                      ))}
                      <RefundButton tenant={tenant} booking={b} />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex gap-2">
        <button type="button" className="btn-small" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          {t("common.previous")}
        </button>
        <button
          type="button"
          className="btn-small"
          disabled={!list.data?.next_cursor}
          onClick={() => setCursors([...cursors, list.data!.next_cursor ?? undefined])}
        >
          {t("common.next")}
        </button>
      </div>
    </div>
  );
}
