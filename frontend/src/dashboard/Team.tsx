import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { api, must } from "../api/client";
import { ErrorAlert, Notice, Skeleton, TextField } from "../components/ui";
import { formatDateTime } from "../lib/format";
import { useI18n } from "../lib/i18n";

export function Team({ tenant }: { tenant: string }) {
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const members = useQuery({
    queryKey: ["members", tenant],
    queryFn: () => must(api.GET("/api/v1/tenants/{tenant}/members", { params: { path: { tenant } } })),
  });
  const invitations = useQuery({
    queryKey: ["invitations", tenant],
    queryFn: () => must(api.GET("/api/v1/tenants/{tenant}/invitations", { params: { path: { tenant } } })),
  });
  const remove = useMutation({
    mutationFn: (userId: string) => must(api.DELETE("/api/v1/tenants/{tenant}/members/{user_id}", { params: { path: { tenant, user_id: userId } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["members", tenant] }),
  });
  const invite = useMutation({
    mutationFn: (email: string) => must(api.POST("/api/v1/tenants/{tenant}/invitations", { params: { path: { tenant } }, body: { email } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["invitations", tenant] }),
  });
  const form = useForm<{ email: string }>({ defaultValues: { email: "" } });
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <section className="card" aria-labelledby="members-h">
        <h2 id="members-h" className="font-semibold">
          {t("dash.t.members")}
        </h2>
        {members.isError && <ErrorAlert error={members.error} />}
        {remove.isError && <ErrorAlert error={remove.error} />}
        {!members.data ? (
          <Skeleton className="h-24" />
        ) : (
          <ul className="mt-2 space-y-2">
            {members.data.items.map((m) => (
              <li key={m.user_id} className="flex items-center justify-between gap-2">
                <span>
                  {m.email} <span className="text-sm text-slate-600">({m.role})</span>
                </span>
                <button type="button" className="btn-small" onClick={() => remove.mutate(m.user_id)} aria-label={t("dash.t.remove", { email: m.email })}>
                  {t("common.delete")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card space-y-3" aria-labelledby="invite-h">
        <h2 id="invite-h" className="font-semibold">
          {t("dash.t.invite")}
        </h2>
        <form className="flex flex-wrap items-end gap-2" onSubmit={form.handleSubmit((v) => invite.mutate(v.email, { onSuccess: () => form.reset() }))}>
          <TextField label={t("auth.email")} type="email" required {...form.register("email", { required: true })} />
          <button type="submit" className="btn" disabled={invite.isPending}>
            {t("dash.t.invite")}
          </button>
        </form>
        {invite.isError && <ErrorAlert error={invite.error} />}
        {invite.isSuccess && (
          <div role="status">
            <Notice tone="success">{t("dash.t.invited", { email: invite.data.email })}</Notice>
          </div>
        )}
        <h3 className="font-semibold">{t("dash.t.invitations")}</h3>
        <ul className="space-y-1 text-sm">
          {invitations.data?.items.map((i) => (
            <li key={i.id}>
              {i.email} — {i.accepted_at ? t("dash.t.accepted") : t("dash.t.open", { date: formatDateTime(i.expires_at, "UTC", locale) })}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
