// Storefront analytics: nothing is sent before the visitor chose in the consent banner. The TikTok
// click id (`ttclid` in a landing URL) is kept for the browser session and sent with each event
// only with marketing consent. The server answers the event_id the TikTok pixel would share.

export interface Consent {
  analytics: boolean;
  marketing: boolean;
}

export type TrackKind = "page_view" | "view_content" | "initiate_checkout";

const CONSENT_KEY = "reservo.consent";
const TTCLID_KEY = "reservo.ttclid";
const listeners = new Set<() => void>();
// Before the visitor chose, the click id is held in memory only (nothing is written to the device).
let pendingClickId: string | null = null;

export function readConsent(): Consent | null {
  try {
    const raw = localStorage.getItem(CONSENT_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Consent>;
    return { analytics: value.analytics === true, marketing: value.marketing === true };
  } catch {
    return null;
  }
}

export function saveConsent(consent: Consent): void {
  localStorage.setItem(CONSENT_KEY, JSON.stringify(consent));
  if (!consent.marketing) sessionStorage.removeItem(TTCLID_KEY);
  else if (pendingClickId) sessionStorage.setItem(TTCLID_KEY, pendingClickId);
  pendingClickId = null;
  listeners.forEach((fn) => fn());
}

export function onConsentChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Keep `ttclid` from the landing URL for this session (called on every navigation). */
export function rememberClickId(search: string): void {
  const id = new URLSearchParams(search).get("ttclid");
  if (!id || !/^[A-Za-z0-9_.-]{1,200}$/.test(id)) return;
  const consent = readConsent();
  if (consent === null) pendingClickId = id;
  else if (consent.marketing) sessionStorage.setItem(TTCLID_KEY, id);
}

export function clickId(): string | null {
  return sessionStorage.getItem(TTCLID_KEY);
}

/** Send one event if the visitor consented to analytics; resolves with the server's event_id. */
export async function track(
  tenant: string,
  kind: TrackKind,
  extra: { offering_id?: string; booking_id?: string } = {},
): Promise<string | null> {
  const consent = readConsent();
  if (!consent?.analytics || !tenant) return null;
  const ttclid = consent.marketing ? clickId() : null;
  const body = {
    kind,
    ...extra,
    url: location.href.split("#")[0],
    referrer: document.referrer || undefined,
    ttclid: ttclid ?? undefined,
    consent,
  };
  try {
    const response = await fetch(`/api/v1/tenants/${encodeURIComponent(tenant)}/analytics/collect`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      keepalive: true,
    });
    if (!response.ok) return null;
    const answer = (await response.json()) as { event_id?: string };
    return answer.event_id ?? null;
  } catch {
    return null; // analytics never breaks the storefront
  }
}

/** Send `kind` once per mount (and again when the keys change), after consent only. */
export function trackOnce(tenant: string, kind: TrackKind, offeringId?: string): () => void {
  let done = false;
  const send = () => {
    if (done || !readConsent()?.analytics) return;
    done = true;
    void track(tenant, kind, offeringId ? { offering_id: offeringId } : {});
  };
  send();
  return onConsentChange(send); // a visitor who accepts on this page is counted for it
}
