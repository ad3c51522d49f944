// The platform admin's console (issue 14): statistics, tenants and accounts with suspend/restore,
// bookings across tenants with CSV download, every service's dead letters with replay.
// A lazy chunk: only admins ever load it. The API refuses everyone else anyway.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Navigate, NavLink, Route, Routes } from "react-router";
import { api, must, type AdminBooking } from "../api/client";
import { authFetch } from "../api/session";
import { ErrorAlert, Notice, Skeleton, StatusBadge, TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { formatDateTime, formatMoney, visitorZone } from "../lib/format";
import { useI18n } from "../lib/i18n";

export function AdminConsole() {
  const { t } = useI18n();
  const { user, ready } = useAuth();
  if (ready && !user) return <Navigate to="/signin?next=/admin" replace />;
  if (!ready) return <Skeleton />;
  if (!user?.is_admin) return <Notice tone="warn">{t("admin.forbidden")}</Notice>;
  const tab = ({ isActive }: { isActive: boolean }) => (isActive ? "btn" : "btn-secondary");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("admin.title")}</h1>
      <nav aria-label={t("admin.title")} className="flex flex-wrap gap-2">
        <NavLink end to="/admin" className={tab}>{t("admin.stats")}</NavLink>
        <NavLink to="/admin/tenants" className={tab}>{t("admin.tenants")}</NavLink>
        <NavLink to="/admin/users" className={tab}>{t("admin.users")}</NavLink>
        <NavLink to="/admin/bookings" className={tab}>{t("admin.bookings")}</NavLink>
        <NavLink to="/admin/dead-letters" className={tab}>{t("admin.deadLetters")}</NavLink>
      </nav>
      <Routes>
        <Route index element={<Stats />} />
        <Route path="tenants" element={<Tenants />} />
        <Route path="users" element={<Users />} />
        <Route path="bookings" element={<Bookings />} />
        <Route path="dead-letters" element={<DeadLetters />} />
      </Routes>
    </div>
  );
}

function Stats() {
  const { t, locale } = useI18n();
  const stats = useQuery({ queryKey: ["admin", "stats"], queryFn: () => must(api.GET("/api/v1/admin/stats")) });
  if (stats.isError) return <ErrorAlert error={stats.error} onRetry={() => void stats.refetch()} />;
  if (!stats.data) return <Skeleton />;
  const s = stats.data;
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      <Figure label={t("admin.tenants")} value={`${s.tenants} (${t("admin.suspendedN", { n: s.suspended_tenants })})`} />
      <Figure label={t("admin.users")} value={`${s.users} (${t("admin.deletedN", { n: s.deleted_users })})`} />
      <Figure label={t("admin.bookings")} value={String(s.bookings)} />
      {s.bookings_by_status.map((b) => (
        <Figure key={b.status} label={b.status} value={String(b.count)} />
      ))}
      {s.revenue.map((r) => (
        <Figure key={r.currency} label={t("admin.revenue", { currency: r.currency })} value={formatMoney({ amount: r.net, currency: r.currency }, locale)} />
      ))}
    </dl>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="card">
      <dt className="text-sm text-slate-700">{label}</dt>
      <dd className="text-xl font-semibold">{value}</dd>
    </div>
  );
}

function Search({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const { t } = useI18n();
  return <TextField label={t("admin.search")} type="search" value={value} onChange={(e) => onChange(e.target.value)} />;
}

function Tenants() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const list = useQuery({
    queryKey: ["admin", "tenants", q],
    queryFn: () => must(api.GET("/api/v1/admin/tenants", { params: { query: { q: q || undefined, limit: 100 } } })),
  });
  const toggle = useMutation({
    mutationFn: ({ id, suspend }: { id: string; suspend: boolean }) =>
      must(
        suspend
          ? api.POST("/api/v1/admin/tenants/{tenant_id}/suspend", { params: { path: { tenant_id: id } } })
          : api.POST("/api/v1/admin/tenants/{tenant_id}/restore", { params: { path: { tenant_id: id } } }),
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: ["admin"] }),
  });
  return (
    <section className="space-y-3">
      <Search value={q} onChange={setQ} />
      {list.isError && <ErrorAlert error={list.error} />}
      {toggle.isError && <ErrorAlert error={toggle.error} />}
      <table className="w-full text-left text-sm">
        <thead>
          <tr><th>{t("admin.slug")}</th><th>{t("admin.name")}</th><th>{t("common.status")}</th><th>{t("dash.b.actions")}</th></tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((tenant) => (
            <tr key={tenant.id} className="border-t border-slate-200">
              <td>{tenant.slug}</td>
              <td>{tenant.name}</td>
              <td>{tenant.suspended ? t("admin.suspended") : t("admin.active")}</td>
              <td>
                <button type="button" className="btn-small" disabled={toggle.isPending} onClick={() => toggle.mutate({ id: tenant.id, suspend: !tenant.suspended })}>
                  {tenant.suspended ? t("admin.restore") : t("admin.suspend")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Users() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [q, setQ] = useState("");
  const list = useQuery({
    queryKey: ["admin", "users", q],
    queryFn: () => must(api.GET("/api/v1/admin/users", { params: { query: { q: q || undefined, limit: 100 } } })),
  });
  const toggle = useMutation({
    mutationFn: ({ id, suspend }: { id: string; suspend: boolean }) =>
      must(
        suspend
          ? api.POST("/api/v1/admin/users/{user_id}/suspend", { params: { path: { user_id: id } } })
          : api.POST("/api/v1/admin/users/{user_id}/restore", { params: { path: { user_id: id } } }),
      ),
    onSettled: () => qc.invalidateQueries({ queryKey: ["admin"] }),
  });
  return (
    <section className="space-y-3">
      <Search value={q} onChange={setQ} />
      {list.isError && <ErrorAlert error={list.error} />}
      {toggle.isError && <ErrorAlert error={toggle.error} />}
      <table className="w-full text-left text-sm">
        <thead>
          <tr><th>{t("admin.email")}</th><th>{t("admin.name")}</th><th>{t("common.status")}</th><th>{t("dash.b.actions")}</th></tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((u) => (
            <tr key={u.id} className="border-t border-slate-200">
              <td>{u.email}</td>
              <td>{u.name}</td>
              <td>{u.erased ? t("admin.deleted") : u.suspended ? t("admin.suspended") : t("admin.active")}</td>
              <td>
                {!u.erased && !u.is_admin && (
                  <button type="button" className="btn-small" disabled={toggle.isPending} onClick={() => toggle.mutate({ id: u.id, suspend: !u.suspended })}>
                    {u.suspended ? t("admin.restore") : t("admin.suspend")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

type BookingStatus = "pending" | "confirmed" | "cancelled" | "expired" | "completed" | "no_show";

function Bookings() {
  const { t, locale } = useI18n();
  const [tenant, setTenant] = useState("");
  const [status, setStatus] = useState<BookingStatus | "">("");
  const [error, setError] = useState<unknown>(null);
  const query = { tenant: tenant || undefined, status: status || undefined };
  const list = useQuery({
    queryKey: ["admin", "bookings", tenant, status],
    queryFn: () => must(api.GET("/api/v1/admin/bookings", { params: { query: { ...query, limit: 100 } } })),
  });
  const download = async () => {
    setError(null);
    const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
    const res = await authFetch(new Request(`${location.origin}/api/v1/admin/bookings.csv?${params}`));
    if (!res.ok) return setError(new Error(`HTTP ${res.status}`));
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: "bookings.csv" });
    a.click();
    URL.revokeObjectURL(url);
  };
  const zone = visitorZone();
  return (
    <section className="space-y-3">
      <div className="flex flex-wrap items-end gap-2">
        <TextField label={t("admin.slug")} value={tenant} onChange={(e) => setTenant(e.target.value.trim())} />
        <label className="label">
          {t("common.status")}
          <select className="input" value={status} onChange={(e) => setStatus(e.target.value as BookingStatus | "")}>
            <option value="">{t("common.all")}</option>
            {(["pending", "confirmed", "cancelled", "expired", "completed", "no_show"] as const).map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => void download()}>{t("admin.csv")}</button>
      </div>
      {list.isError || error ? <ErrorAlert error={list.error ?? error} /> : null}
      <table className="w-full text-left text-sm">
        <thead>
          <tr><th>{t("admin.slug")}</th><th>{t("admin.offering")}</th><th>{t("common.status")}</th><th>{t("admin.when")}</th><th>{t("admin.total")}</th></tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((b: AdminBooking) => (
            <tr key={b.id} className="border-t border-slate-200">
              <td>{b.tenant ?? "—"}</td>
              <td>{b.offering_name}</td>
              <td><StatusBadge status={b.status} /></td>
              <td>{formatDateTime(b.starts_at ?? b.booked_at, zone, locale)}</td>
              <td>{formatMoney({ amount: b.total_amount, currency: b.currency }, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function DeadLetters() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const view = useQuery({ queryKey: ["admin", "dead-letters"], queryFn: () => must(api.GET("/api/v1/admin/dead-letters")) });
  const replay = useMutation({
    mutationFn: ({ service, id }: { service: string; id: string }) =>
      must(api.POST("/api/v1/admin/dead-letters/{service}/{dead_letter_id}/replay", { params: { path: { service, dead_letter_id: id } } })),
    onSettled: () => qc.invalidateQueries({ queryKey: ["admin", "dead-letters"] }),
  });
  if (view.isError) return <ErrorAlert error={view.error} onRetry={() => void view.refetch()} />;
  if (!view.data) return <Skeleton />;
  const open = view.data.flatMap((s) => (s.items ?? []).map((item) => ({ service: s.service, item })));
  return (
    <section className="space-y-3">
      {view.data.filter((s) => !s.available).map((s) => (
        <Notice key={s.service} tone="warn">{t("admin.unavailable", { service: s.service })}</Notice>
      ))}
      {replay.data && <Notice tone="success">{t("admin.replayed", { outcome: replay.data.outcome })}</Notice>}
      {replay.isError && <ErrorAlert error={replay.error} />}
      {open.length === 0 ? (
        <p>{t("admin.noDeadLetters")}</p>
      ) : (
        <ul className="space-y-2">
          {open.map(({ service, item }) => (
            <li key={String(item.id)} className="card flex flex-wrap items-center justify-between gap-2">
              <div>
                <p className="font-semibold">{service}: {String(item.type)}</p>
                <p className="text-sm text-slate-700">{String(item.error).slice(0, 200)}</p>
              </div>
              <button type="button" className="btn-small" disabled={replay.isPending} onClick={() => replay.mutate({ service, id: String(item.id) })}>
                {t("admin.replay")}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
