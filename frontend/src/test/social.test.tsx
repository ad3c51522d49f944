import { render, screen } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getAccessToken, setAccessToken } from "../api/session";
import { I18nProvider } from "../lib/i18n";
import { SocialDonePage, rememberSocialNext } from "../pages/SocialDonePage";

afterEach(() => {
  vi.unstubAllGlobals();
  setAccessToken(null);
});

function land(path: string) {
  return render(
    <I18nProvider locale="en">
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/signin/social" element={<SocialDonePage />} />
          <Route path="/me/bookings" element={<p>my bookings</p>} />
        </Routes>
      </MemoryRouter>
    </I18nProvider>,
  );
}

describe("social sign-in landing", () => {
  it("turns the refresh cookie into a session and goes back where the visitor started", async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: string | Request, init?: RequestInit) => {
        calls.push(`${init?.method ?? "GET"} ${new URL(typeof input === "string" ? input : input.url).pathname}`);
        return Response.json({ access_token: "at-1", token_type: "bearer", expires_in: 900, refresh_token: "" });
      }),
    );
    rememberSocialNext("/me/bookings");
    land("/signin/social");
    expect(await screen.findByText("my bookings")).toBeInTheDocument();
    expect(calls).toEqual(["POST /api/v1/auth/refresh"]);
    expect(getAccessToken()).toBe("at-1");
  });

  it("shows a refused sign-in's code without asking the API", async () => {
    const fetcher = vi.fn();
    vi.stubGlobal("fetch", fetcher);
    land("/signin/social?error=invalid_state");
    expect(await screen.findByText(/The sign-in did not work \(invalid_state\)/)).toBeInTheDocument();
    expect(fetcher).not.toHaveBeenCalled();
  });
});
