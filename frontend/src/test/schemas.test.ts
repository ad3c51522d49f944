import { describe, expect, it } from "vitest";
import { emptyForm, fromApi, offeringSchema, toApi } from "../dashboard/offeringForm";
import { translate } from "../lib/i18n";
import { de, en } from "../lib/messages";
import { cardSchema, detailsSchema } from "../lib/schemas";

describe("booking details", () => {
  it("accepts a name, an email and an optional phone", () => {
    expect(detailsSchema.safeParse({ name: "Ana", email: "ana@example.com", phone: "", notes: "", quantity: "1" }).success).toBe(true);
  });
  it("names what is wrong", () => {
    const r = detailsSchema.safeParse({ name: " ", email: "nope", phone: "call me", notes: "", quantity: 0 });
    expect(r.success).toBe(false);
    const messages = Object.fromEntries(r.error!.issues.map((i) => [i.path[0], i.message]));
    expect(messages).toMatchObject({ name: "v.name", email: "v.email", phone: "v.phone", quantity: "v.positive" });
  });
  it("reads card numbers with spaces", () => {
    expect(cardSchema.parse({ card: "4242 4242 4242 4242" }).card).toBe("4242424242424242");
    expect(cardSchema.safeParse({ card: "4242" }).success).toBe(false);
  });
});

describe("offering editor model", () => {
  it("sends a weekly schedule with exceptions as the API expects", () => {
    const form = { ...emptyForm("Europe/Berlin", "EUR"), name: "Yoga", price: "18.50" };
    form.weekly.push({ weekday: "sat", start: "10:00", end: "12:00" });
    form.exceptions.push({ date: "2026-12-24", closed: true, start: "", end: "" });
    const body = toApi(offeringSchema.parse(form));
    expect(body.price).toEqual({ amount: 1850, currency: "EUR" });
    expect(body.schedule?.weekly).toHaveLength(6);
    expect(body.schedule?.exceptions).toEqual([{ date: "2026-12-24", closed: true, intervals: [] }]);
    expect(body.sessions).toBeUndefined();
  });
  it("refuses a range that ends before it starts", () => {
    const form = emptyForm("Europe/Berlin", "EUR");
    form.name = "X";
    form.weekly = [{ weekday: "mon", start: "17:00", end: "09:00" }];
    const r = offeringSchema.safeParse(form);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("dash.o.endAfterStart");
  });
  it("turns event sessions typed in the offering's zone into instants, and back", () => {
    const form = { ...emptyForm("Europe/Berlin", "EUR"), kind: "event" as const, name: "Jazz", price: "25" };
    form.sessions = [{ start: "2026-12-04T20:00", end: "2026-12-04T23:00", capacity: 50 }];
    const body = toApi(offeringSchema.parse(form));
    expect(body.sessions).toEqual([{ start: "2026-12-04T19:00:00.000Z", end: "2026-12-04T22:00:00.000Z", capacity: 50 }]);
    const back = fromApi({
      ...body,
      id: "o",
      kind: "event",
      status: "published",
      timezone: "Europe/Berlin",
      sessions: [{ id: "s", start: "2026-12-04T19:00:00Z", end: "2026-12-04T22:00:00Z", capacity: 50 }],
      variants: [],
      resources: [],
      images: [],
      schedule: null,
      version: 1,
      created_at: "",
      updated_at: "",
    } as never);
    expect(back.sessions[0]).toEqual({ start: "2026-12-04T20:00", end: "2026-12-04T23:00", capacity: 50 });
  });
});

describe("translations", () => {
  it("has every English key in German, and fills placeholders", () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    expect(translate("de", "pay.submit", { amount: "30,00 €" })).toBe("30,00 € bezahlen");
  });
});
