import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Booking } from "../api/client";
import { RefundButton } from "../dashboard/RefundButton";
import { I18nProvider } from "../lib/i18n";

afterEach(() => vi.unstubAllGlobals());

const booking = {
  id: "b-1",
  status: "confirmed",
  offering_name: "Jazz night",
  customer: { name: "Zoe", email: "zoe@example.com" },
} as unknown as Booking;

describe("staff refund of a booking", () => {
  it("finds the booking's payment, refunds part of it once and says how much", async () => {
    const refunds: unknown[] = [];
    const listed: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: Request) => {
        const url = new URL(input.url);
        if (url.pathname === "/api/v1/tenants/acme/payments") {
          listed.push(url.searchParams.get("booking_id") ?? "");
          return Response.json({
            items: [
              {
                id: "p-1",
                booking_id: "b-1",
                provider: "test",
                status: "succeeded",
                amount: { amount: 2500, currency: "EUR" },
                refunded: { amount: 500, currency: "EUR" },
                created_at: "2026-06-01T06:00:00Z",
              },
            ],
            next_cursor: null,
          });
        }
        if (url.pathname === "/api/v1/payments/p-1/refunds") {
          refunds.push({ body: await input.json(), key: input.headers.get("Idempotency-Key") });
          return Response.json({ id: "r-1", payment_id: "p-1", amount: { amount: 1000, currency: "EUR" }, status: "succeeded" }, { status: 201 });
        }
        return new Response("{}", { status: 404 });
      }),
    );
    const user = userEvent.setup();
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <I18nProvider locale="en">
          <RefundButton tenant="acme" booking={booking} />
        </I18nProvider>
      </QueryClientProvider>,
    );
    await user.click(screen.getByRole("button", { name: "Refund…: Zoe, Jazz night" }));
    expect(await screen.findByText(/Paid and not yet refunded: €20\.00/)).toBeInTheDocument();
    expect(listed).toEqual(["b-1"]);
    await user.type(screen.getByLabelText("Amount (empty: all of it)"), "10.00");
    await user.type(screen.getByLabelText("Reason"), "late start");
    await user.click(screen.getByRole("button", { name: "Refund" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Refunded €10.00.");
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ body: { amount: { amount: 1000, currency: "EUR" }, reason: "late start" } });
    expect((refunds[0] as { key: string }).key).toBeTruthy();
  });

  it("offers nothing for a booking that was never paid", () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <I18nProvider locale="en">
          <RefundButton tenant="acme" booking={{ ...booking, status: "pending" } as Booking} />
        </I18nProvider>
      </QueryClientProvider>,
    );
    expect(screen.queryByRole("button")).toBeNull();
  });
});
