import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { track } from "../lib/tracking";
import { ApiError, api, must, newIdempotencyKey } from "../api/client";
import { Steps } from "../components/Steps";
import { ErrorAlert, Skeleton, TextArea, TextField } from "../components/ui";
import { useAuth } from "../lib/auth";
import { formatDateTime, formatMoney } from "../lib/format";
import { rememberBookingToken } from "../lib/guest";
import { useI18n } from "../lib/i18n";
import type { MessageKey } from "../lib/messages";
import { useOffering } from "../lib/queries";
import { detailsSchema, type DetailsForm } from "../lib/schemas";

const DRAFT = "reservo.detailsDraft";

export function DetailsPage() {
  const { tenant = "", offeringId = "" } = useParams();
  const [params] = useSearchParams();
  const { t, locale } = useI18n();
  const { user } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const offering = useOffering(tenant, offeringId);
  const start = params.get("start");
  const variant = params.get("variant");
  const [error, setError] = useState<unknown>(null);
  const [taken, setTaken] = useState(false);
  const idempotencyKey = useRef(newIdempotencyKey()); // one key per attempt: a double click books once
  const draft = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(DRAFT) ?? "{}") as Partial<DetailsForm>;
    } catch {
      return {};
    }
  })();
  const form = useForm<DetailsForm>({
    resolver: zodResolver(detailsSchema) as Resolver<DetailsForm>,
    defaultValues: { name: "", email: "", phone: "", notes: "", smsConsent: false, quantity: Number(params.get("qty") ?? 1), ...draft },
  });
  useEffect(() => {
    if (user) {
      if (!form.getValues("name")) form.setValue("name", user.name);
      if (!form.getValues("email")) form.setValue("email", user.email);
    }
  }, [user, form]);
  useEffect(() => {
    const sub = form.watch((values) => {
      const { name, email, phone, notes } = values;
      sessionStorage.setItem(DRAFT, JSON.stringify({ name, email, phone, notes }));
    });
    return () => sub.unsubscribe();
  }, [form]);
  const e = form.formState.errors;
  const msg = (m?: string) => (m ? t(m as MessageKey, { n: 1 }) : undefined);
  const o = offering.data;
  const price = o ? (o.variants.find((v) => v.id === variant)?.price ?? o.price) : null;
  const quantity = form.watch("quantity");
  const back = `/t/${tenant}/o/${offeringId}${variant ? `?variant=${variant}` : ""}`;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    setTaken(false);
    try {
      const booking = await must(
        api.POST("/api/v1/tenants/{tenant}/bookings", {
          params: { path: { tenant } },
          headers: { "Idempotency-Key": idempotencyKey.current },
          body: {
            offering_id: offeringId,
            start: start ?? undefined,
            variant_id: variant ?? undefined,
            quantity: values.quantity,
            notes: values.notes || undefined,
            customer: { name: values.name, email: values.email, phone: values.phone || undefined },
            sms_consent: Boolean(values.phone) && values.smsConsent,
          },
        }),
      );
      if (booking.access_token) rememberBookingToken(booking.id, booking.access_token);
      void track(tenant, "initiate_checkout", { offering_id: offeringId, booking_id: booking.id });
      sessionStorage.removeItem(DRAFT);
      void qc.invalidateQueries({ queryKey: ["availability", tenant, offeringId] });
      navigate(`/t/${tenant}/bookings/${booking.id}${booking.access_token ? `#token=${booking.access_token}` : ""}`);
    } catch (err) {
      idempotencyKey.current = newIdempotencyKey();
      if (err instanceof ApiError && err.status === 409) {
        setTaken(true);
        void qc.invalidateQueries({ queryKey: ["availability", tenant, offeringId] });
      } else setError(err);
    }
  });

  return (
    <div className="space-y-6">
      <Steps current={1} />
      <div className="grid gap-6 md:grid-cols-3">
        <form noValidate onSubmit={onSubmit} className="card space-y-4 md:col-span-2" aria-labelledby="details-title">
          <h1 id="details-title" className="text-2xl font-bold">
            {t("details.title")}
          </h1>
          {user ? (
            <p className="text-slate-700">{t("details.signedInAs", { name: user.name })}</p>
          ) : (
            <p className="text-slate-700">
              {t("details.guestHint")}{" "}
              <Link to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} className="link">
                {t("nav.signIn")}
              </Link>
            </p>
          )}
          <TextField label={t("details.name")} autoComplete="name" {...form.register("name")} error={msg(e.name?.message)} required />
          <TextField label={t("details.email")} type="email" autoComplete="email" {...form.register("email")} error={msg(e.email?.message)} required />
          <TextField label={t("details.phone")} type="tel" autoComplete="tel" {...form.register("phone")} error={msg(e.phone?.message)} />
          {form.watch("phone") && (
            <label className="flex min-h-11 items-center gap-2">
              <input type="checkbox" {...form.register("smsConsent")} className="h-5 w-5" />
              {t("details.smsConsent")}
            </label>
          )}
          {o && o.kind !== "service" && (
            <TextField label={t("offer.quantity")} type="number" min={1} max={100} {...form.register("quantity")} error={msg(e.quantity?.message)} />
          )}
          <TextArea label={t("details.notes")} {...form.register("notes")} />
          {taken && (
            <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
              <p>{t("details.taken")}</p>
              <Link to={back} className="link">
                {t("details.chooseOther")}
              </Link>
            </div>
          )}
          {error != null && <ErrorAlert error={error} />}
          <div className="flex flex-wrap gap-2">
            <Link to={back} className="btn-secondary">
              {t("common.back")}
            </Link>
            <button type="submit" className="btn" disabled={form.formState.isSubmitting || !o}>
              {form.formState.isSubmitting ? t("common.loading") : price && price.amount > 0 ? t("details.submit") : t("details.submitFree")}
            </button>
          </div>
        </form>
        <aside className="card h-fit" aria-labelledby="summary-title">
          <h2 id="summary-title" className="font-semibold">
            {t("details.summary")}
          </h2>
          {!o || !price ? (
            <Skeleton className="mt-2 h-16" />
          ) : (
            <dl className="mt-2 space-y-1">
              <dt className="sr-only">{t("booking.what")}</dt>
              <dd className="font-medium">{o.name}</dd>
              {start && (
                <>
                  <dt className="sr-only">{t("booking.when")}</dt>
                  <dd>{formatDateTime(start, o.timezone, locale)}</dd>
                </>
              )}
              <dt className="inline text-slate-600">{t("details.total")}: </dt>
              <dd className="inline font-semibold">
                {formatMoney({ amount: price.amount * (Number(quantity) || 1), currency: price.currency }, locale)}
              </dd>
            </dl>
          )}
        </aside>
      </div>
    </div>
  );
}
