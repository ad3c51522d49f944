import { useEffect, useState } from "react";
import { useI18n } from "../lib/i18n";

/**
 * Time left on a hold, from the server's `expires_at`. The visible mm:ss ticks every second; the
 * screen-reader text changes only at milestones (5 min, 1 min, expired) so it is not read out
 * every second.
 */
export function HoldTimer({ expiresAt, onExpired }: { expiresAt: string; onExpired?: () => void }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const left = Math.max(0, new Date(expiresAt).getTime() - now);
  useEffect(() => {
    if (left === 0) onExpired?.();
  }, [left, onExpired]);
  const mm = Math.floor(left / 60000);
  const ss = String(Math.floor((left % 60000) / 1000)).padStart(2, "0");
  const milestone = left === 0 ? "expired" : left <= 60000 ? "1" : left <= 300000 ? "5" : "more";
  if (left === 0) return <p role="alert" className="font-medium text-red-800">{t("pay.holdExpired")}</p>;
  return (
    <p className="text-slate-800">
      <span aria-hidden="true">{t("pay.holdLeft", { time: `${mm}:${ss}` })}</span>
      <span className="sr-only" aria-live="polite">
        {milestone === "more" ? "" : t("pay.holdLeft", { time: milestone === "1" ? "1 min" : "5 min" })}
      </span>
    </p>
  );
}
