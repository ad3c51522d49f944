import { useEffect, useState } from "react";
import { useLocation } from "react-router";
import { useI18n } from "../lib/i18n";
import { onConsentChange, readConsent, rememberClickId, saveConsent } from "../lib/tracking";

/** Asks once, below the page (it covers nothing); until the visitor chooses, no event is sent. */
export function ConsentBanner() {
  const { t } = useI18n();
  const location = useLocation();
  const [open, setOpen] = useState(() => readConsent() === null);
  useEffect(() => onConsentChange(() => setOpen(readConsent() === null)), []);
  useEffect(() => rememberClickId(location.search), [location.search]);
  if (!open) return null;
  return (
    <section
      role="region"
      aria-labelledby="consent-h"
      className="border-t border-slate-300 bg-white p-4"
    >
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-3">
        <div className="mr-auto max-w-2xl">
          <h2 id="consent-h" className="font-semibold">
            {t("consent.title")}
          </h2>
          <p className="text-sm text-slate-700">{t("consent.text")}</p>
        </div>
        <button type="button" className="btn" onClick={() => saveConsent({ analytics: true, marketing: true })}>
          {t("consent.all")}
        </button>
        <button
          type="button"
          className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium"
          onClick={() => saveConsent({ analytics: true, marketing: false })}
        >
          {t("consent.statistics")}
        </button>
        <button
          type="button"
          className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium"
          onClick={() => saveConsent({ analytics: false, marketing: false })}
        >
          {t("consent.none")}
        </button>
      </div>
    </section>
  );
}
