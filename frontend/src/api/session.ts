// The signed-in session: the access token lives in memory only; the refresh token is an httpOnly
// cookie set by the API (`?cookie=true`), which script never sees. A 401 triggers one silent
// refresh (shared by concurrent requests) and the original request is replayed, so the user keeps
// their place. `reservo.signedIn` in localStorage only says whether a refresh is worth trying.
type Listener = (token: string | null) => void;

let accessToken: string | null = null;
let refreshing: Promise<string | null> | null = null;
const listeners = new Set<Listener>();
const HINT = "reservo.signedIn";

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
  try {
    if (token) localStorage.setItem(HINT, "1");
    else localStorage.removeItem(HINT);
  } catch {
    /* storage unavailable: only the hint is lost */
  }
  for (const l of listeners) l(token);
}

export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(HINT) === "1";
  } catch {
    return false;
  }
}

/** Exchanges the refresh cookie for a new access token; null when there is no valid session. */
export function refreshAccessToken(fetcher: typeof fetch = fetch): Promise<string | null> {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const res = await fetcher(`${globalThis.location?.origin ?? ""}/api/v1/auth/refresh?cookie=true`, {
          method: "POST",
          credentials: "same-origin",
        });
        if (!res.ok) {
          setAccessToken(null);
          return null;
        }
        const body = (await res.json()) as { access_token: string };
        setAccessToken(body.access_token);
        return body.access_token;
      } catch {
        return null;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

const NO_RETRY = /\/api\/v1\/auth\/(login|register|refresh|logout)/;

/** fetch for the API client: adds the bearer token, refreshes once on 401 and replays. */
export async function authFetch(input: Request): Promise<Response> {
  const retry = input.clone();
  const token = accessToken;
  if (token && !input.headers.has("Authorization")) input.headers.set("Authorization", `Bearer ${token}`);
  const res = await fetch(input);
  if (res.status !== 401 || NO_RETRY.test(input.url) || (!token && !mayHaveSession())) return res;
  const fresh = await refreshAccessToken();
  if (!fresh) return res;
  retry.headers.set("Authorization", `Bearer ${fresh}`);
  return fetch(retry);
}
