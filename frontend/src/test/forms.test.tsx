import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SlotPicker } from "../components/SlotPicker";
import { AuthProvider } from "../lib/auth";
import { I18nProvider, type Locale, translate } from "../lib/i18n";
import { RegisterPage, SignInPage } from "../pages/AuthPages";

function wrap(ui: ReactNode, path = "/", locale: Locale = "en") {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <I18nProvider locale={locale}>
        <AuthProvider>
          <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("sign-in form", () => {
  it("validates before sending and shows the API's refusal in words", async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: Request) => {
        calls.push(new URL(input.url).pathname);
        if (input.url.includes("/auth/providers")) return Response.json({ items: [], next_cursor: null });
        return new Response(JSON.stringify({ status: 401, code: "invalid_credentials", title: "Invalid" }), {
          status: 401,
          headers: { "Content-Type": "application/problem+json" },
        });
      }),
    );
    const user = userEvent.setup();
    wrap(
      <Routes>
        <Route path="/signin" element={<SignInPage />} />
      </Routes>,
      "/signin",
    );
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Please enter a valid email address")).toBeInTheDocument();
    expect(calls).not.toContain("/api/v1/auth/login");
    await user.type(screen.getByLabelText("Email"), "ana@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong-password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Email or password is wrong.");
    expect(calls).toContain("/api/v1/auth/login");
  });
});

describe("registration form", () => {
  it("signs up in the visitor's language, so the verification email is in it too", async () => {
    const bodies: Record<string, unknown>[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: Request) => {
        if (input.url.includes("/auth/providers")) return Response.json({ items: [], next_cursor: null });
        if (input.url.includes("/auth/register")) bodies.push((await input.json()) as Record<string, unknown>);
        return new Response(JSON.stringify({ status: 409, code: "account_exists", title: "Exists" }), {
          status: 409,
          headers: { "Content-Type": "application/problem+json" },
        });
      }),
    );
    const user = userEvent.setup();
    wrap(
      <Routes>
        <Route path="/register" element={<RegisterPage />} />
      </Routes>,
      "/register",
      "de",
    );
    await user.type(screen.getByLabelText(translate("de", "auth.name")), "Zoë");
    await user.type(screen.getByLabelText(translate("de", "auth.email")), "zoe@example.com");
    await user.type(screen.getByLabelText(translate("de", "auth.password"), { exact: false }), "correct horse battery");
    await user.click(screen.getByRole("button", { name: translate("de", "auth.submitRegister") }));
    await screen.findByRole("alert");
    expect(bodies).toEqual([{ name: "Zoë", email: "zoe@example.com", password: "correct horse battery", locale: "de" }]);
  });
});

describe("slot picker", () => {
  it("enables only days with free times, names them in full and lists the day's times with seats", async () => {
    const onDay = vi.fn();
    const onSlot = vi.fn();
    const user = userEvent.setup();
    const slots = [
      { start: "2026-12-01T09:00:00Z", end: "2026-12-01T09:30:00Z", remaining: 1 },
      { start: "2026-12-01T09:30:00Z", end: "2026-12-01T10:00:00Z", remaining: 0 },
    ];
    wrap(
      <SlotPicker
        year={2026}
        month={12}
        minMonth={{ year: 2026, month: 12 }}
        slots={slots}
        zone="Europe/Berlin"
        visitorZone="Europe/Berlin"
        day="2026-12-01"
        start={null}
        onMonth={() => {}}
        onDay={onDay}
        onSlot={onSlot}
      />,
    );
    const day = screen.getByRole("button", { name: "Tuesday, December 1, 2026, 2 times available" });
    expect(day).toBeEnabled();
    expect(screen.getByRole("button", { name: "Wednesday, December 2, 2026, unavailable" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Previous month" })).toBeDisabled();
    await user.click(day);
    expect(onDay).toHaveBeenCalledWith("2026-12-01");
    const free = screen.getByRole("button", { name: /^10:00 AM\s+1 left/ });
    const full = screen.getByRole("button", { name: /^10:30 AM\s+full/ });
    expect(full).toBeDisabled();
    await user.click(free);
    expect(onSlot).toHaveBeenCalledWith("2026-12-01T09:00:00Z");
  });
});

describe("German", () => {
  it("names days and times in German with German formats", () => {
    const qc = new QueryClient();
    render(
      <QueryClientProvider client={qc}>
        <I18nProvider locale="de">
          <SlotPicker
            year={2026}
            month={12}
            minMonth={{ year: 2026, month: 12 }}
            slots={[{ start: "2026-12-01T09:00:00Z", end: "2026-12-01T09:30:00Z", remaining: 3 }]}
            zone="Europe/Berlin"
            visitorZone="America/New_York"
            day="2026-12-01"
            start={null}
            onMonth={() => {}}
            onDay={() => {}}
            onSlot={() => {}}
          />
        </I18nProvider>
      </QueryClientProvider>,
    );
    expect(screen.getByRole("heading", { name: "Dezember 2026" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Dienstag, 1. Dezember 2026, 1 Zeit frei" })).toBeEnabled();
    // the business's time first, the visitor's (New York) in brackets
    expect(screen.getByRole("button", { name: /^10:00 \(04:00\) noch 3/ })).toBeInTheDocument();
  });
});
