import { describe, expect, it } from "vitest";
import { formatMoney, isoToZoned, localDay, monthBounds, monthGrid, toMinor, zonedToIso } from "../lib/format";

describe("money", () => {
  it("formats minor units with the currency's digits, per locale", () => {
    expect(formatMoney({ amount: 2500, currency: "EUR" }, "en")).toBe("€25.00");
    expect(formatMoney({ amount: 2500, currency: "EUR" }, "de")).toBe("25,00\u00a0€");
    expect(formatMoney({ amount: 500, currency: "JPY" }, "en")).toBe("¥500");
  });
  it("reads what people type into minor units", () => {
    expect(toMinor("18.50", "EUR")).toBe(1850);
    expect(toMinor("18,5", "EUR")).toBe(1850);
    expect(toMinor("500", "JPY")).toBe(500);
  });
});

describe("zones", () => {
  it("gives the business's calendar day, not the machine's", () => {
    // 23:30 UTC on 1 Dec is already 2 Dec in Berlin and still 1 Dec in New York
    expect(localDay("2026-12-01T23:30:00Z", "Europe/Berlin")).toBe("2026-12-02");
    expect(localDay("2026-12-01T23:30:00Z", "America/New_York")).toBe("2026-12-01");
  });
  it("turns a wall-clock time in a zone into the instant, across DST changes", () => {
    expect(zonedToIso("2026-12-04T20:00", "Europe/Berlin")).toBe("2026-12-04T19:00:00.000Z"); // CET
    expect(zonedToIso("2026-07-03T20:00", "Europe/Berlin")).toBe("2026-07-03T18:00:00.000Z"); // CEST
    expect(zonedToIso("2026-03-29T12:00", "Europe/Berlin")).toBe("2026-03-29T10:00:00.000Z"); // day of the change
    expect(isoToZoned("2026-07-03T18:00:00Z", "Europe/Berlin")).toBe("2026-07-03T20:00");
  });
});

describe("month grid", () => {
  it("starts weeks on Monday and covers the month", () => {
    const cells = monthGrid(2026, 12);
    expect(cells[0]!.day).toBe("2026-11-30"); // 1 Dec 2026 is a Tuesday
    expect(cells.filter((c) => c.inMonth)).toHaveLength(31);
    expect(cells.length % 7).toBe(0);
    expect(monthBounds(2026, 2)).toEqual({ from: "2026-02-01", to: "2026-02-28" });
  });
});
