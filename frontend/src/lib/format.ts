// Dates, times and money, formatted per locale with an explicit time zone (never the machine's
// implicit one) and money from minor units with the currency's own digits.
import type { Money } from "../api/client";

export function formatMoney(money: Money, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: money.currency }).format(
    money.amount / 10 ** currencyDigits(money.currency),
  );
}

export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units from a decimal string typed by a person ("12.50" → 1250 for EUR). */
export function toMinor(value: string, currency: string): number {
  const n = Number(value.replace(",", "."));
  return Math.round(n * 10 ** currencyDigits(currency));
}

export function formatTime(iso: string, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone: zone }).format(new Date(iso));
}

export function formatDateTime(iso: string, zone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(
    new Date(iso),
  );
}

export function formatDate(day: string, locale: string, style: "long" | "full" = "full"): string {
  // `day` is a calendar date (YYYY-MM-DD): format it at noon UTC in UTC so no zone can shift it.
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
}

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDay(iso: string | Date, zone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(typeof iso === "string" ? new Date(iso) : iso);
  return parts; // en-CA formats as YYYY-MM-DD
}

/** Short zone name as people read it beside a time ("CET", "GMT+1"). */
export function zoneLabel(zone: string, locale: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? zone;
}

export function visitorZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Same offset at that instant? Then showing the visitor's zone too adds nothing. */
export function sameOffset(a: string, b: string, at: Date): boolean {
  const f = (zone: string) =>
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "numeric", hourCycle: "h23", day: "numeric" }).format(at);
  return f(a) === f(b);
}

export interface MonthCell {
  day: string; // YYYY-MM-DD
  inMonth: boolean;
}

/** The weeks of a month (Monday first, as in Europe; `weekStart` 0 for Sunday), as calendar dates. */
export function monthGrid(year: number, month: number, weekStart = 1): MonthCell[] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (first.getUTCDay() - weekStart + 7) % 7;
  const start = new Date(first.getTime() - offset * 86400000);
  const cells: MonthCell[] = [];
  for (let i = 0; i < 42; i++) {
    const d = new Date(start.getTime() + i * 86400000);
    cells.push({ day: d.toISOString().slice(0, 10), inMonth: d.getUTCMonth() === month - 1 });
  }
  // drop a trailing week that lies wholly in the next month
  return cells.slice(35).every((c) => !c.inMonth) ? cells.slice(0, 35) : cells;
}

export function monthBounds(year: number, month: number): { from: string; to: string } {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, "0");
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, "0")}` };
}

export function monthTitle(year: number, month: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, 15)),
  );
}

/** "2026-12-05T20:00" read as a wall-clock time in `zone` → ISO instant with offset (UTC). */
export function zonedToIso(local: string, zone: string): string {
  const [date, time = "00:00"] = local.split("T");
  const [y, m, d] = date!.split("-").map(Number) as [number, number, number];
  const [hh, mm] = time.split(":").map(Number) as [number, number];
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      })
        .formatToParts(new Date(guess))
        .map((p) => [p.type, p.value]),
    );
    const seen = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
    guess += wanted - seen;
  }
  return new Date(guess).toISOString();
}

/** ISO instant → "YYYY-MM-DDTHH:MM" wall-clock in `zone` (for datetime-local inputs). */
export function isoToZoned(iso: string, zone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
