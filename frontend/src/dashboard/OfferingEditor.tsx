import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useFieldArray, useForm, type Resolver } from "react-hook-form";
import { useLocation, useNavigate, useParams } from "react-router";
import { api, must } from "../api/client";
import { ErrorAlert, Notice, SelectField, Skeleton, TextArea, TextField } from "../components/ui";
import { useI18n } from "../lib/i18n";
import type { MessageKey } from "../lib/messages";
import { useOffering, useTenant } from "../lib/queries";
import { LocationPicker } from "./Locations";
import { WEEKDAYS, emptyForm, fromApi, offeringSchema, toApi, type OfferingForm } from "./offeringForm";

export function OfferingEditor({ tenant }: { tenant: string }) {
  const { offeringId } = useParams();
  const info = useTenant(tenant);
  const existing = useOffering(tenant, offeringId);
  if (!info.data || (offeringId && !existing.data)) {
    if (existing.isError) return <ErrorAlert error={existing.error} />;
    return <Skeleton className="h-96" />;
  }
  const initial = existing.data ? fromApi(existing.data) : emptyForm(info.data.timezone, info.data.currency);
  return <EditorForm tenant={tenant} initial={initial} offeringId={offeringId} version={existing.data?.version} />;
}

function EditorForm({ tenant, initial, offeringId, version }: { tenant: string; initial: OfferingForm; offeringId?: string | undefined; version?: number | undefined }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const location = useLocation();
  const [saved, setSaved] = useState(() => (location.state as { saved?: boolean } | null)?.saved === true);
  const form = useForm<OfferingForm>({ resolver: zodResolver(offeringSchema) as Resolver<OfferingForm>, defaultValues: initial });
  const { register, control, watch, formState } = form;
  const weekly = useFieldArray({ control, name: "weekly" });
  const exceptions = useFieldArray({ control, name: "exceptions" });
  const sessions = useFieldArray({ control, name: "sessions" });
  const variants = useFieldArray({ control, name: "variants" });
  const resources = useFieldArray({ control, name: "resources" });
  const kind = watch("kind");
  const e = formState.errors;
  const msg = (m?: string) => (m ? t(m as MessageKey, { n: 0 }) : undefined);
  const dayName = (d: string) =>
    new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, WEEKDAYS.indexOf(d as never) + 1)));

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    try {
      const body = toApi(values);
      const o = offeringId
        ? await must(
            api.PATCH("/api/v1/tenants/{tenant}/offerings/{offering_id}", {
              params: { path: { tenant, offering_id: offeringId } },
              body: { ...body, kind: undefined, version } as never,
            }),
          )
        : await must(api.POST("/api/v1/tenants/{tenant}/offerings", { params: { path: { tenant } }, body }));
      await qc.invalidateQueries({ queryKey: ["dash-offerings", tenant] });
      qc.setQueryData(["offering", tenant, o.id], o);
      setSaved(true);
      if (!offeringId) navigate(`/dashboard/${tenant}/offerings/${o.id}`, { replace: true, state: { saved: true } });
    } catch (err) {
      setError(err);
    }
  });

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-6" aria-labelledby="editor-title">
      <h2 id="editor-title" className="text-xl font-semibold">
        {offeringId ? t("dash.editOffering") : t("dash.newOffering")}
      </h2>
      <section className="card grid gap-3 sm:grid-cols-2">
        <SelectField label={t("dash.o.kind")} {...register("kind")} disabled={!!offeringId}>
          <option value="service">{t("store.kind.service")}</option>
          <option value="event">{t("store.kind.event")}</option>
          <option value="product">{t("store.kind.product")}</option>
        </SelectField>
        <TextField label={t("dash.o.name")} {...register("name")} error={msg(e.name?.message)} />
        <div className="sm:col-span-2">
          <TextArea label={t("dash.o.description")} {...register("description")} />
        </div>
        <TextField label={t("dash.o.category")} {...register("category")} />
        <LocationPicker tenant={tenant} {...register("locationId")} />
        <TextField label={`${t("dash.o.price")} (${watch("currency")})`} inputMode="decimal" {...register("price")} error={e.price && t("v.positive", { n: 0 })} />
        <TextField label={t("dash.o.timezone")} {...register("timezone")} />
        <TextField label={t("dash.o.cancelHours")} type="number" min={0} {...register("cancelHours")} />
        {kind === "service" && (
          <>
            <TextField label={t("dash.o.duration")} type="number" min={1} {...register("duration")} error={e.duration && t("v.positive", { n: 1 })} />
            <TextField label={t("dash.o.capacity")} type="number" min={1} {...register("capacity")} />
            <TextField label={t("dash.o.bufferBefore")} type="number" min={0} {...register("bufferBefore")} />
            <TextField label={t("dash.o.bufferAfter")} type="number" min={0} {...register("bufferAfter")} />
            <TextField label={t("dash.o.leadTime")} type="number" min={0} {...register("leadTime")} />
            <TextField label={t("dash.o.window")} type="number" min={1} {...register("windowDays")} />
          </>
        )}
        {kind === "product" && <TextField label={t("dash.o.stock")} type="number" min={0} {...register("stock")} />}
        <label className="flex min-h-11 items-center gap-2">
          <input type="checkbox" {...register("publish")} className="h-5 w-5" />
          {t("dash.o.publishNow")}
        </label>
      </section>

      {kind === "service" && (
        <fieldset className="card space-y-3">
          <legend className="px-1 text-lg font-semibold">{t("dash.o.schedule")}</legend>
          {WEEKDAYS.map((day) => {
            const rows = weekly.fields.map((f, i) => ({ f, i })).filter(({ f }) => f.weekday === day);
            return (
              <div key={day} className="grid gap-2 border-b border-slate-100 pb-2 sm:grid-cols-[8rem_1fr]">
                <p className="pt-2 font-medium">{dayName(day)}</p>
                <div className="space-y-2">
                  {rows.length === 0 && <p className="pt-2 text-sm text-slate-600">{t("dash.o.closed")}</p>}
                  {rows.map(({ f, i }) => {
                    const from = watch(`weekly.${i}.start`);
                    const to = watch(`weekly.${i}.end`);
                    return (
                      <div key={f.id} className="flex flex-wrap items-end gap-2">
                        <TextField label={`${dayName(day)} ${t("dash.o.from")}`} type="time" step={900} {...register(`weekly.${i}.start`)} />
                        <TextField
                          label={`${dayName(day)} ${t("dash.o.to")}`}
                          type="time"
                          step={900}
                          {...register(`weekly.${i}.end`)}
                          error={msg(e.weekly?.[i]?.end?.message)}
                        />
                        <button type="button" className="btn-small mb-1" onClick={() => weekly.remove(i)} aria-label={t("dash.o.removeRange", { day: dayName(day), from, to })}>
                          ✕
                        </button>
                      </div>
                    );
                  })}
                  <button
                    type="button"
                    className="btn-small"
                    onClick={() => {
                      const last = rows.at(-1);
                      const start = last ? watch(`weekly.${last.i}.end`) : "09:00";
                      const end = start < "22:00" ? `${String(Number(start.slice(0, 2)) + 2).padStart(2, "0")}${start.slice(2)}` : "23:45";
                      weekly.append({ weekday: day, start, end });
                    }}
                  >
                    {t("dash.o.addRange", { day: dayName(day) })}
                  </button>
                </div>
              </div>
            );
          })}
          <button
            type="button"
            className="btn-secondary"
            onClick={() => {
              const monday = form.getValues("weekly").filter((r) => r.weekday === "mon");
              const others = form.getValues("weekly").filter((r) => !["tue", "wed", "thu", "fri"].includes(r.weekday) );
              weekly.replace([...others, ...(["tue", "wed", "thu", "fri"] as const).flatMap((d) => monday.map((r) => ({ ...r, weekday: d })))]);
            }}
          >
            {t("dash.o.copyToAll")}
          </button>
          <h3 className="pt-2 font-semibold">{t("dash.o.exceptions")}</h3>
          {exceptions.fields.map((f, i) => (
            <div key={f.id} className="flex flex-wrap items-end gap-2">
              <TextField label={t("dash.o.exDate")} type="date" {...register(`exceptions.${i}.date`)} />
              <label className="flex min-h-11 items-center gap-2">
                <input type="checkbox" {...register(`exceptions.${i}.closed`)} className="h-5 w-5" />
                {t("dash.o.exClosed")}
              </label>
              {!watch(`exceptions.${i}.closed`) && (
                <>
                  <TextField label={t("dash.o.from")} type="time" step={900} {...register(`exceptions.${i}.start`)} />
                  <TextField label={t("dash.o.to")} type="time" step={900} {...register(`exceptions.${i}.end`)} />
                </>
              )}
              <button type="button" className="btn-small mb-1" onClick={() => exceptions.remove(i)}>
                {t("common.delete")}
              </button>
            </div>
          ))}
          <button type="button" className="btn-small" onClick={() => exceptions.append({ date: "", closed: true, start: "", end: "" })}>
            {t("dash.o.addException")}
          </button>
        </fieldset>
      )}

      {kind === "event" && (
        <fieldset className="card space-y-3">
          <legend className="px-1 text-lg font-semibold">{t("dash.o.sessions")}</legend>
          {sessions.fields.map((f, i) => (
            <div key={f.id} className="flex flex-wrap items-end gap-2">
              <TextField label={t("dash.o.start")} type="datetime-local" {...register(`sessions.${i}.start`)} />
              <TextField label={t("dash.o.end")} type="datetime-local" {...register(`sessions.${i}.end`)} error={msg(e.sessions?.[i]?.end?.message)} />
              <TextField label={t("dash.o.capacity")} type="number" min={1} {...register(`sessions.${i}.capacity`)} />
              <button type="button" className="btn-small mb-1" onClick={() => sessions.remove(i)}>
                {t("common.delete")}
              </button>
            </div>
          ))}
          <button type="button" className="btn-small" onClick={() => sessions.append({ start: "", end: "", capacity: 20 })}>
            {t("dash.o.addSession")}
          </button>
        </fieldset>
      )}

      <fieldset className="card space-y-3">
        <legend className="px-1 text-lg font-semibold">{t("dash.o.variants")}</legend>
        {variants.fields.map((f, i) => (
          <div key={f.id} className="flex flex-wrap items-end gap-2">
            <TextField label={t("dash.o.name")} {...register(`variants.${i}.name`)} />
            <TextField label={t("dash.o.price")} inputMode="decimal" {...register(`variants.${i}.price`)} />
            <button type="button" className="btn-small mb-1" onClick={() => variants.remove(i)}>
              {t("common.delete")}
            </button>
          </div>
        ))}
        <button type="button" className="btn-small" onClick={() => variants.append({ name: "", price: watch("price") })}>
          {t("dash.o.addVariant")}
        </button>
      </fieldset>

      {kind === "service" && (
        <fieldset className="card space-y-3">
          <legend className="px-1 text-lg font-semibold">{t("dash.o.resources")}</legend>
          {resources.fields.map((f, i) => (
            <div key={f.id} className="flex flex-wrap items-end gap-2">
              <TextField label={t("dash.o.name")} {...register(`resources.${i}.name`)} />
              <button type="button" className="btn-small mb-1" onClick={() => resources.remove(i)}>
                {t("common.delete")}
              </button>
            </div>
          ))}
          <button type="button" className="btn-small" onClick={() => resources.append({ name: "" })}>
            {t("dash.o.addResource")}
          </button>
        </fieldset>
      )}

      {error != null && <ErrorAlert error={error} />}
      {saved && (
        <div role="status">
          <Notice tone="success">{t("dash.o.created")}</Notice>
        </div>
      )}
      <button type="submit" className="btn" disabled={formState.isSubmitting}>
        {t("common.save")}
      </button>
    </form>
  );
}
