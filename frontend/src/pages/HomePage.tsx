import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import { z } from "zod";
import { api, must } from "../api/client";
import { ErrorAlert, TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { visitorZone } from "../lib/format";
import { useI18n } from "../lib/i18n";
import { NearMe } from "./NearMe";

export const tenantSchema = z.object({
  name: z.string().trim().min(1, "v.name"),
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/, "v.slug"),
  timezone: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
type TenantForm = z.infer<typeof tenantSchema>;

export function HomePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [slug, setSlug] = useState("");
  return (
    <div className="space-y-8">
      <section>
        <h1 className="text-3xl font-bold">{t("home.title")}</h1>
        <p className="mt-2 max-w-2xl text-slate-700">{t("home.lead")}</p>
        <div className="mt-4 flex flex-wrap items-end gap-3">
          <Link to="/t/demo" className="btn">
            {t("home.demo")}
          </Link>
          <form
            className="flex items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (slug.trim()) navigate(`/t/${encodeURIComponent(slug.trim())}`);
            }}
          >
            <TextField label={t("home.slug")} value={slug} onChange={(e) => setSlug(e.target.value)} />
            <button type="submit" className="btn-secondary">
              {t("home.go")}
            </button>
          </form>
        </div>
      </section>
      <NearMe />
      <CreateTenant />
    </div>
  );
}

function CreateTenant() {
  const { t, locale } = useI18n();
  const { user, reload } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const form = useForm<TenantForm>({
    resolver: zodResolver(tenantSchema),
    defaultValues: { name: "", slug: "", timezone: visitorZone(), currency: "EUR" },
  });
  const e = form.formState.errors;
  return (
    <section className="card max-w-xl" aria-labelledby="create-tenant">
      <h2 id="create-tenant" className="text-xl font-semibold">
        {t("home.business")}
      </h2>
      <p className="mt-1 text-slate-700">{t("home.createLead")}</p>
      {!user ? (
        <p className="mt-3">
          <Link to="/register?next=/" className="link">
            {t("nav.register")}
          </Link>{" "}
          ·{" "}
          <Link to="/signin?next=/" className="link">
            {t("nav.signIn")}
          </Link>
        </p>
      ) : (
        <form
          className="mt-3 grid gap-3 sm:grid-cols-2"
          noValidate
          onSubmit={form.handleSubmit(async (values) => {
            setError(null);
            try {
              // Receipts and emails of the new business speak the language its owner uses here.
              await must(api.POST("/api/v1/tenants", { body: { ...values, locale } }));
              await reload();
              navigate(`/dashboard/${values.slug}`);
            } catch (err) {
              setError(err);
            }
          })}
        >
          <TextField label={t("home.tenantName")} {...form.register("name")} error={e.name && t("v.name")} />
          <TextField label={t("home.tenantSlug")} {...form.register("slug")} error={e.slug && t("v.slug")} />
          <TextField label={t("home.timezone")} {...form.register("timezone")} />
          <TextField label={t("home.currency")} {...form.register("currency")} maxLength={3} />
          {error != null && (
            <div className="sm:col-span-2">
              <ErrorAlert error={error} />
            </div>
          )}
          <div className="sm:col-span-2">
            <button type="submit" className="btn" disabled={form.formState.isSubmitting}>
              {t("home.create")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
