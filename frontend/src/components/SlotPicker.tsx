import { useEffect, useMemo, useRef } from "react";
import type { Slot } from "../api/client";
import { formatDate, formatTime, localDay, monthGrid, monthTitle, sameOffset, zoneLabel } from "../lib/format";
import { useI18n } from "../lib/i18n";
import { Skeleton } from "./ui";

interface Props {
  year: number;
  month: number;
  slots: Slot[] | undefined; // undefined while loading
  zone: string; // the offering's zone: days and times are the business's
  visitorZone: string;
  day: string | null;
  start: string | null;
  onMonth: (year: number, month: number) => void;
  onDay: (day: string) => void;
  onSlot: (start: string) => void;
  minMonth: { year: number; month: number };
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]; // Monday first

/** Month calendar (a plain grid of day buttons) and the free times of the chosen day. */
export function SlotPicker(p: Props) {
  const { t, locale } = useI18n();
  const slotHeading = useRef<HTMLHeadingElement>(null);
  const byDay = useMemo(() => {
    const m = new Map<string, Slot[]>();
    for (const s of p.slots ?? []) {
      const d = localDay(s.start, p.zone);
      m.set(d, [...(m.get(d) ?? []), s]);
    }
    return m;
  }, [p.slots, p.zone]);
  const cells = monthGrid(p.year, p.month);
  const title = monthTitle(p.year, p.month, locale);
  const atMin = p.year === p.minMonth.year && p.month === p.minMonth.month;
  const move = (delta: number) => {
    const m0 = p.year * 12 + (p.month - 1) + delta;
    p.onMonth(Math.floor(m0 / 12), (m0 % 12) + 1);
  };
  const daySlots = p.day ? (byDay.get(p.day) ?? []) : [];
  const showVisitor = !sameOffset(p.zone, p.visitorZone, new Date());
  const weekdayNames = WEEKDAYS.map((wd) =>
    new Intl.DateTimeFormat(locale, { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, wd))),
  );
  const monthEmpty = p.slots !== undefined && byDay.size === 0;

  useEffect(() => {
    // After choosing a day, bring its times into view (on a phone they are below the calendar).
    if (p.day) slotHeading.current?.scrollIntoView?.({ block: "nearest", behavior: "smooth" });
  }, [p.day]);

  return (
    <div className="grid gap-6 md:grid-cols-2">
      <section aria-labelledby="month-title">
        <div className="mb-2 flex items-center justify-between">
          <button type="button" className="btn-small" onClick={() => move(-1)} disabled={atMin} aria-label={t("offer.prevMonth")}>
            <span aria-hidden="true">‹</span>
          </button>
          <h2 id="month-title" className="text-lg font-semibold" aria-live="polite">
            {title}
          </h2>
          <button type="button" className="btn-small" onClick={() => move(1)} aria-label={t("offer.nextMonth")}>
            <span aria-hidden="true">›</span>
          </button>
        </div>
        <div className="grid grid-cols-7 gap-1 text-center text-xs font-medium text-slate-600" aria-hidden="true">
          {weekdayNames.map((w) => (
            <span key={w}>{w}</span>
          ))}
        </div>
        {p.slots === undefined ? (
          <Skeleton className="mt-1 h-64" />
        ) : (
          <div role="group" aria-labelledby="month-title" className="mt-1 grid grid-cols-7 gap-1">
            {cells.map((c) => {
              const n = byDay.get(c.day)?.length ?? 0;
              const full = formatDate(c.day, locale);
              if (!c.inMonth) return <span key={c.day} aria-hidden="true" />;
              const selected = p.day === c.day;
              return (
                <button
                  key={c.day}
                  type="button"
                  disabled={n === 0}
                  aria-pressed={selected}
                  aria-label={n ? t("offer.dayAvailable", { day: full, n }) : t("offer.dayUnavailable", { day: full })}
                  onClick={() => p.onDay(c.day)}
                  className={`h-11 rounded-md text-sm ${
                    selected
                      ? "bg-brand-600 font-bold text-white"
                      : n
                        ? "bg-indigo-50 font-semibold text-indigo-900 hover:bg-indigo-100"
                        : "cursor-default text-slate-500"
                  }`}
                >
                  {Number(c.day.slice(8))}
                </button>
              );
            })}
          </div>
        )}
        {monthEmpty && (
          <div className="mt-3 text-slate-700">
            <p>{t("offer.noMonth", { month: title })}</p>
            <button type="button" className="btn-small mt-2" onClick={() => move(1)}>
              {t("offer.nextMonth")}
            </button>
          </div>
        )}
      </section>
      <section aria-labelledby="slots-title">
        <h2 id="slots-title" ref={slotHeading} tabIndex={-1} className="text-lg font-semibold">
          {p.day ? t("offer.times", { day: formatDate(p.day, locale) }) : t("offer.pickDay")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          {showVisitor
            ? t("offer.zoneNote", { zone: `${p.zone}, ${zoneLabel(p.zone, locale)}`, yours: zoneLabel(p.visitorZone, locale) })
            : t("offer.zoneOnly", { zone: `${p.zone}, ${zoneLabel(p.zone, locale)}` })}
        </p>
        {p.day && daySlots.length === 0 && <p className="mt-2">{t("offer.noTimes")}</p>}
        <ul className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-3">
          {daySlots.map((s) => {
            const time = formatTime(s.start, p.zone, locale);
            const theirs = showVisitor ? formatTime(s.start, p.visitorZone, locale) : null;
            const selected = p.start === s.start;
            return (
              <li key={s.start}>
                <button
                  type="button"
                  disabled={s.remaining === 0}
                  aria-pressed={selected}
                  onClick={() => p.onSlot(s.start)}
                  className={`w-full rounded-md border px-2 py-2 text-sm ${
                    selected ? "border-brand-700 bg-brand-600 text-white" : "border-slate-300 bg-white hover:bg-slate-100"
                  } disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-500 disabled:line-through`}
                >
                  {/* the content is the accessible name: "09:00 (08:00) 3 left, Tuesday, 1 December 2026" */}
                  <span className="block font-semibold">{time}</span>{" "}
                  {theirs && <span className="block text-xs">({theirs})</span>}{" "}
                  <span className="block text-xs">{s.remaining === 0 ? t("offer.full") : t("offer.seatsLeft", { n: s.remaining })}</span>
                  <span className="sr-only">, {formatDate(p.day!, locale)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      </section>
    </div>
  );
}
