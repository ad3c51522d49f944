// The account holder's own profile (name, language, phone) and account deletion (issue 14).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Navigate, useNavigate } from "react-router";
import { api, must } from "../api/client";
import { setAccessToken } from "../api/session";
import { ErrorAlert, Notice, Skeleton, TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { useI18n } from "../lib/i18n";

export function ProfilePage() {
  const { t } = useI18n();
  const { user, ready } = useAuth();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState("");
  const save = useMutation({
    mutationFn: (body: { name: string; locale: string | null; phone: string | null }) => must(api.PATCH("/api/v1/users/me", { body })),
    onSuccess: (fresh) => qc.setQueryData(["me", true], fresh),
  });
  const remove = useMutation({
    mutationFn: () => must(api.DELETE("/api/v1/users/me", { body: { confirm: "DELETE" } })),
    onSuccess: () => {
      setAccessToken(null);
      qc.clear();
      navigate("/");
    },
  });
  if (ready && !user) return <Navigate to="/signin?next=/me/profile" replace />;
  if (!user) return <Skeleton />;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim();
    save.mutate({ name: text("name"), locale: text("locale") || null, phone: text("phone") || null });
  };
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("profile.title")}</h1>
      <form className="card space-y-3" onSubmit={submit}>
        <TextField label={t("profile.name")} name="name" defaultValue={user.name} required maxLength={200} />
        <TextField label={t("profile.locale")} name="locale" defaultValue={user.locale ?? ""} hint="en, de" />
        <TextField label={t("profile.phone")} name="phone" type="tel" defaultValue={user.phone ?? ""} hint="+4915123456789" />
        {save.isError && <ErrorAlert error={save.error} />}
        {save.isSuccess && <Notice tone="success">{t("common.saved")}</Notice>}
        <button type="submit" className="btn" disabled={save.isPending}>{t("common.save")}</button>
      </form>
      <section className="card space-y-3">
        <h2 className="text-lg font-semibold">{t("profile.delete")}</h2>
        <p>{t("profile.deleteExplain")}</p>
        <TextField label={t("profile.deleteConfirm")} value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        {remove.isError && <ErrorAlert error={remove.error} />}
        <button type="button" className="btn" disabled={confirm !== "DELETE" || remove.isPending} onClick={() => remove.mutate()}>
          {t("profile.delete")}
        </button>
      </section>
    </div>
  );
}
