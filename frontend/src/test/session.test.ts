import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, must } from "../api/client";
import { authFetch, getAccessToken, setAccessToken } from "../api/session";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

describe("silent refresh", () => {
  it("refreshes once through the cookie on a 401 and replays the request with the new token", async () => {
    setAccessToken("old");
    const seen: string[] = [];
    const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(new URL(String(input), "http://x"), init);
      seen.push(`${req.method} ${new URL(req.url, "http://x").pathname} ${req.headers.get("Authorization") ?? ""}`);
      if (req.url.includes("/auth/refresh")) {
        expect(req.url).toContain("cookie=true");
        return json(200, { access_token: "new" });
      }
      return req.headers.get("Authorization") === "Bearer new" ? json(200, { ok: true }) : json(401, { code: "unauthorized" });
    });
    vi.stubGlobal("fetch", fetchMock);
    const res = await authFetch(new Request("http://x/api/v1/users/me"));
    expect(res.status).toBe(200);
    expect(getAccessToken()).toBe("new");
    expect(seen).toEqual(["GET /api/v1/users/me Bearer old", "POST /api/v1/auth/refresh ", "GET /api/v1/users/me Bearer new"]);
  });

  it("gives the 401 back and forgets the token when the session is gone", async () => {
    setAccessToken("old");
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(401, { code: "invalid_refresh_token" })),
    );
    const res = await authFetch(new Request("http://x/api/v1/users/me"));
    expect(res.status).toBe(401);
    expect(getAccessToken()).toBeNull();
  });
});

describe("API layer", () => {
  it("turns a problem document into an ApiError with its stable code", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(409, { status: 409, code: "slot_unavailable", title: "This time is no longer available" })),
    );
    const call = must(api.GET("/api/v1/tenants/{tenant}", { baseUrl: "http://x", params: { path: { tenant: "demo" } } }));
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({ status: 409, code: "slot_unavailable" });
  });
});
