import { useQuery } from "@tanstack/react-query";

/** The web app's runtime config (`/web-config.json`, RESERVO_WEB_* on the server): where the payment
 * providers' and Google's scripts load from (tests point them at local fakes) and the Maps browser key. */
export type WebConfig = {
  stripe_js_url: string;
  paypal_sdk_url: string;
  maps_js_url: string;
  maps_api_key: string | null;
  maps_map_id: string;
};

export const DEFAULT_WEB_CONFIG: WebConfig = {
  stripe_js_url: "https://js.stripe.com/v3/",
  paypal_sdk_url: "https://www.paypal.com/sdk/js",
  maps_js_url: "https://maps.googleapis.com/maps/api/js",
  maps_api_key: null,
  maps_map_id: "DEMO_MAP_ID",
};

export async function fetchWebConfig(): Promise<WebConfig> {
  try {
    const response = await fetch("/web-config.json", { headers: { Accept: "application/json" } });
    if (!response.ok) return DEFAULT_WEB_CONFIG;
    return { ...DEFAULT_WEB_CONFIG, ...((await response.json()) as Partial<WebConfig>) };
  } catch {
    return DEFAULT_WEB_CONFIG; // a gateway without the route: the real providers' URLs, no map
  }
}

/** Read once per page load, only by the pages that load a third-party script (checkout, locations). */
export function useWebConfig() {
  return useQuery({ queryKey: ["web-config"], queryFn: fetchWebConfig, staleTime: Infinity, retry: false });
}

const loading = new Map<string, Promise<void>>();

/** Adds `<script src=url>` once per URL; the promise settles when it has run (or failed to load, after
 * which a later call tries again). The providers' scripts are loaded this way only on checkout. */
export function loadScript(url: string): Promise<void> {
  const known = loading.get(url);
  if (known) return known;
  const promise = new Promise<void>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.onload = () => resolve();
    script.onerror = () => {
      loading.delete(url);
      script.remove();
      reject(new Error(`could not load ${url}`));
    };
    document.head.appendChild(script);
  });
  loading.set(url, promise);
  return promise;
}

/** `base?name=value&…` keeping any query the configured URL already has. */
export function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base, window.location.href);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}
