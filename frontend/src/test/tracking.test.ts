import { afterEach, describe, expect, it, vi } from "vitest";
import { clickId, readConsent, rememberClickId, saveConsent, track } from "../lib/tracking";

function collectMock() {
  const bodies: Record<string, unknown>[] = [];
  const fetchMock = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    return new Response(JSON.stringify({ event_id: "web-1", counted: true }), { status: 202 });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock, bodies };
}

afterEach(() => {
  vi.unstubAllGlobals();
  localStorage.clear();
  sessionStorage.clear();
});

describe("storefront tracking", () => {
  it("sends nothing before the visitor chose, and nothing after a refusal", async () => {
    const { fetchMock } = collectMock();
    expect(readConsent()).toBeNull();
    expect(await track("acme", "page_view")).toBeNull();
    saveConsent({ analytics: false, marketing: false });
    expect(await track("acme", "page_view")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("keeps the TikTok click id only in memory until marketing consent, then sends it", async () => {
    const { bodies } = collectMock();
    rememberClickId("?ttclid=E.C.P.abc");
    expect(sessionStorage.getItem("reservo.ttclid")).toBeNull();
    saveConsent({ analytics: true, marketing: true });
    expect(clickId()).toBe("E.C.P.abc");
    expect(await track("acme", "view_content", { offering_id: "o1" })).toBe("web-1");
    expect(bodies[0]).toMatchObject({ kind: "view_content", offering_id: "o1", ttclid: "E.C.P.abc", consent: { analytics: true, marketing: true } });
  });

  it("with statistics only, counts without the click id", async () => {
    const { bodies } = collectMock();
    saveConsent({ analytics: true, marketing: false });
    rememberClickId("?ttclid=E.C.P.xyz");
    await track("acme", "page_view");
    expect(bodies[0]?.ttclid).toBeUndefined();
    expect(clickId()).toBeNull();
  });
});
