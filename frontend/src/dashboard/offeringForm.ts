// The offering editor's form model and its mapping to and from the API's OfferingCreate/Read.
import { z } from "zod";
import type { Offering, OfferingCreate } from "../api/client";
import { currencyDigits, isoToZoned, toMinor, zonedToIso } from "../lib/format";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const time = z.string().regex(/^\d{2}:\d{2}$/);
const optionalInt = z.union([z.literal(""), z.coerce.number().int().min(0)]);

export const offeringSchema = z
  .object({
    kind: z.enum(["service", "event", "product"]),
    name: z.string().trim().min(1, "v.name").max(200),
    description: z.string().max(5000),
    category: z.string().max(100),
    locationId: z.string(),
    price: z.string().regex(/^\d+([.,]\d{1,3})?$/, "v.positive"),
    currency: z.string().length(3),
    timezone: z.string().min(1),
    duration: optionalInt,
    capacity: z.coerce.number().int().min(1),
    stock: optionalInt,
    cancelHours: optionalInt,
    bufferBefore: z.coerce.number().int().min(0),
    bufferAfter: z.coerce.number().int().min(0),
    leadTime: z.coerce.number().int().min(0),
    windowDays: optionalInt,
    publish: z.boolean(),
    weekly: z.array(z.object({ weekday: z.enum(WEEKDAYS), start: time, end: time })),
    exceptions: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), closed: z.boolean(), start: z.string(), end: z.string() })),
    sessions: z.array(z.object({ start: z.string().min(16), end: z.string().min(16), capacity: z.coerce.number().int().min(1) })),
    variants: z.array(z.object({ id: z.string().optional(), name: z.string().trim().min(1), price: z.string().regex(/^\d+([.,]\d{1,3})?$/) })),
    resources: z.array(z.object({ id: z.string().optional(), name: z.string().trim().min(1) })),
  })
  .superRefine((v, ctx) => {
    v.weekly.forEach((r, i) => {
      if (r.end <= r.start) ctx.addIssue({ code: "custom", path: ["weekly", i, "end"], message: "dash.o.endAfterStart" });
    });
    v.sessions.forEach((s, i) => {
      if (s.end <= s.start) ctx.addIssue({ code: "custom", path: ["sessions", i, "end"], message: "dash.o.endAfterStart" });
    });
    if (v.kind === "service" && v.duration === "") ctx.addIssue({ code: "custom", path: ["duration"], message: "v.positive" });
  });

export type OfferingForm = z.infer<typeof offeringSchema>;

export function emptyForm(timezone: string, currency: string): OfferingForm {
  return {
    kind: "service",
    name: "",
    description: "",
    category: "",
    locationId: "",
    price: "0",
    currency,
    timezone,
    duration: 60,
    capacity: 1,
    stock: "",
    cancelHours: 24,
    bufferBefore: 0,
    bufferAfter: 0,
    leadTime: 0,
    windowDays: "",
    publish: true,
    weekly: ["mon", "tue", "wed", "thu", "fri"].map((d) => ({ weekday: d as Weekday, start: "09:00", end: "17:00" })),
    exceptions: [],
    sessions: [],
    variants: [],
    resources: [],
  };
}

const num = (v: number | "") => (v === "" ? null : v);
const decimal = (amount: number, currency: string) => (amount / 10 ** currencyDigits(currency)).toString();

export function toApi(v: OfferingForm): OfferingCreate {
  const money = (s: string) => ({ amount: toMinor(s, v.currency), currency: v.currency });
  const body: OfferingCreate = {
    kind: v.kind,
    name: v.name,
    description: v.description || null,
    category: v.category || null,
    location_id: v.locationId || null,
    price: money(v.price),
    timezone: v.timezone,
    cancellation_free_hours: num(v.cancelHours),
    buffer_before_minutes: v.bufferBefore,
    buffer_after_minutes: v.bufferAfter,
    lead_time_minutes: v.leadTime,
    booking_window_days: num(v.windowDays),
    status: v.publish ? "published" : "draft",
    variants: v.variants.map((x) => ({ id: x.id || null, name: x.name, price: money(x.price) })),
    resources: v.resources.map((x) => ({ id: x.id || null, name: x.name })),
  } as OfferingCreate;
  if (v.kind === "service") {
    body.duration_minutes = num(v.duration);
    body.capacity_per_slot = v.capacity;
    body.schedule = {
      weekly: v.weekly,
      exceptions: v.exceptions.map((e) => ({
        date: e.date,
        closed: e.closed,
        intervals: e.closed || !e.start || !e.end ? [] : [{ start: e.start, end: e.end }],
      })),
    };
  }
  if (v.kind === "event") {
    body.sessions = v.sessions.map((s) => ({ start: zonedToIso(s.start, v.timezone), end: zonedToIso(s.end, v.timezone), capacity: s.capacity }));
  }
  if (v.kind === "product") body.stock = num(v.stock);
  return body;
}

export function fromApi(o: Offering): OfferingForm {
  const c = o.price.currency;
  return {
    kind: o.kind as OfferingForm["kind"],
    name: o.name,
    description: o.description ?? "",
    category: o.category ?? "",
    locationId: o.location_id ?? "",
    price: decimal(o.price.amount, c),
    currency: c,
    timezone: o.timezone,
    duration: o.duration_minutes ?? "",
    capacity: o.capacity_per_slot,
    stock: o.stock ?? "",
    cancelHours: o.cancellation_free_hours ?? "",
    bufferBefore: o.buffer_before_minutes,
    bufferAfter: o.buffer_after_minutes,
    leadTime: o.lead_time_minutes,
    windowDays: o.booking_window_days ?? "",
    publish: o.status === "published",
    weekly: (o.schedule?.weekly ?? []).map((r) => ({ weekday: r.weekday as Weekday, start: r.start.slice(0, 5), end: r.end.slice(0, 5) })),
    exceptions: (o.schedule?.exceptions ?? []).map((e) => ({
      date: e.date,
      closed: e.closed,
      start: e.intervals[0]?.start.slice(0, 5) ?? "",
      end: e.intervals[0]?.end.slice(0, 5) ?? "",
    })),
    sessions: o.sessions.map((s) => ({ start: isoToZoned(s.start, o.timezone), end: isoToZoned(s.end, o.timezone), capacity: s.capacity })),
    variants: o.variants.map((x) => ({ id: x.id, name: x.name, price: decimal(x.price.amount, x.price.currency) })),
    resources: o.resources.map((x) => ({ id: x.id, name: x.name })),
  };
}
