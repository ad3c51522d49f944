import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, must, type PaymentSettings, type Tenant } from "../api/client";
import { ErrorAlert, Notice, SelectField, Skeleton, TextField } from "../components/ui";
import { useI18n, type Translate } from "../lib/i18n";
import { useTenant } from "../lib/queries";

export function Settings({ tenant }: { tenant: string }) {
  const info = useTenant(tenant);
  if (info.isError) return <ErrorAlert error={info.error} />;
  if (!info.data) return <Skeleton className="h-96" />;
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <General tenant={info.data} />
      <Payments tenant={tenant} />
      <Location tenant={tenant} />
    </div>
  );
}

interface GeneralForm {
  name: string;
  timezone: string;
  currency: string;
  logo_url: string;
  primary_color: string;
}

function General({ tenant }: { tenant: Tenant }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const branding = tenant.branding as { logo_url?: string; primary_color?: string };
  const form = useForm<GeneralForm>({
    defaultValues: { name: tenant.name, timezone: tenant.timezone, currency: tenant.currency, logo_url: branding.logo_url ?? "", primary_color: branding.primary_color ?? "#4338ca" },
  });
  const save = useMutation({
    mutationFn: (v: GeneralForm) =>
      must(
        api.PATCH("/api/v1/tenants/{tenant}", {
          params: { path: { tenant: tenant.slug } },
          body: { name: v.name, timezone: v.timezone, currency: v.currency, branding: { logo_url: v.logo_url || null, primary_color: v.primary_color } },
        }),
      ),
    onSuccess: (data) => qc.setQueryData(["tenant", tenant.slug], data),
  });
  return (
    <form className="card space-y-3 md:col-span-2" onSubmit={form.handleSubmit((v) => save.mutate(v))} aria-labelledby="general-h">
      <h2 id="general-h" className="font-semibold">
        {t("dash.s.general")} · {t("dash.s.branding")}
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label={t("home.tenantName")} {...form.register("name")} />
        <TextField label={t("home.timezone")} {...form.register("timezone")} />
        <TextField label={t("home.currency")} maxLength={3} {...form.register("currency")} />
        <TextField label={t("dash.s.logo")} type="url" {...form.register("logo_url")} />
        <TextField label={t("dash.s.color")} type="color" {...form.register("primary_color")} />
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
  );
}

/** Provider and its credentials; stored secrets are never shown, only which ones are set. */
function Payments({ tenant }: { tenant: string }) {
  const { t } = useI18n();
  const current = useQuery({
    queryKey: ["payment-settings", tenant],
    queryFn: () => must(api.GET("/api/v1/tenants/{tenant}/payment-settings", { params: { path: { tenant } } })),
  });
  if (current.isError) return <ErrorAlert error={current.error} />;
  if (!current.data) return <Skeleton className="h-48" />;
  return <PaymentsForm tenant={tenant} provider={current.data.provider as PaymentSettings["provider"]} configured={current.data.configured} t={t} />;
}

function PaymentsForm({ tenant, provider: initial, configured, t }: { tenant: string; provider: PaymentSettings["provider"]; configured: string[]; t: Translate }) {
  const qc = useQueryClient();
  const form = useForm<PaymentSettings>({ defaultValues: { provider: initial } });
  const provider = form.watch("provider");
  const save = useMutation({
    mutationFn: (v: PaymentSettings) => {
      const body = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== "" && value != null)) as PaymentSettings;
      return must(api.PUT("/api/v1/tenants/{tenant}/payment-settings", { params: { path: { tenant } }, body }));
    },
    onSuccess: (data) => qc.setQueryData(["payment-settings", tenant], data),
  });
  const secret = (name: keyof PaymentSettings, label: string) => (
    <TextField
      label={label}
      type="password"
      autoComplete="off"
      hint={configured.includes(name) ? "••••••••" : undefined}
      {...form.register(name)}
    />
  );
  return (
    <form className="card space-y-3" aria-labelledby="pay-h" onSubmit={form.handleSubmit((v) => save.mutate(v))}>
      <h2 id="pay-h" className="font-semibold">
        {t("dash.s.payments")}
      </h2>
      <SelectField label={t("dash.s.provider")} {...form.register("provider")}>
        <option value="test">{t("dash.s.providerTest")}</option>
        <option value="stripe">Stripe</option>
        <option value="paypal">PayPal</option>
      </SelectField>
      {provider === "stripe" && (
        <>
          <TextField label="Publishable key" autoComplete="off" {...form.register("publishable_key")} />
          {secret("secret_key", "Secret key")}
          {secret("webhook_secret", "Webhook signing secret")}
        </>
      )}
      {provider === "paypal" && (
        <>
          <TextField label="Client ID" autoComplete="off" {...form.register("client_id")} />
          {secret("client_secret", "Client secret")}
          <TextField label="Webhook ID" autoComplete="off" {...form.register("webhook_id")} />
        </>
      )}
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
  );
}

interface Address {
  street: string;
  postcode: string;
  city: string;
  country: string;
}

function Location({ tenant }: { tenant: string }) {
  const { t } = useI18n();
  const key = `reservo.address.${tenant}`;
  const [saved, setSaved] = useState(false);
  const form = useForm<Address>({
    defaultValues: (() => {
      try {
        return JSON.parse(localStorage.getItem(key) ?? "null") ?? { street: "", postcode: "", city: "", country: "" };
      } catch {
        return { street: "", postcode: "", city: "", country: "" };
      }
    })(),
  });
  return (
    <form
      className="card space-y-3"
      aria-labelledby="loc-h"
      onSubmit={form.handleSubmit((v) => {
        localStorage.setItem(key, JSON.stringify(v));
        setSaved(true);
      })}
    >
      <h2 id="loc-h" className="font-semibold">
        {t("dash.s.location")}
      </h2>
      <p className="text-sm text-slate-600">{t("dash.s.locationNote")}</p>
      <TextField label={t("dash.s.street")} autoComplete="street-address" {...form.register("street")} />
      <div className="grid grid-cols-2 gap-2">
        <TextField label={t("dash.s.postcode")} autoComplete="postal-code" {...form.register("postcode")} />
        <TextField label={t("dash.s.city")} autoComplete="address-level2" {...form.register("city")} />
      </div>
      <TextField label={t("dash.s.country")} autoComplete="country-name" {...form.register("country")} />
      {saved && <p role="status">{t("common.saved")}</p>}
      <button type="submit" className="btn">
        {t("common.save")}
      </button>
    </form>
  );
}
