import { describe, expect, it } from "vitest";
import type { Booking } from "../api/client";
import { actionsFor } from "../dashboard/BookingsTable";
import { filterBookings } from "../pages/MyBookingsPage";
import { canCancel, refundPreview } from "../lib/policy";

function booking(over: Partial<Booking>): Booking {
  return {
    id: "b1",
    tenant_id: "t1",
    offering_id: "o1",
    offering_name: "Haircut",
    kind: "service",
    status: "confirmed",
    quantity: 1,
    start: "2026-12-10T10:00:00Z",
    end: "2026-12-10T10:30:00Z",
    total: { amount: 3000, currency: "EUR" },
    unit_price: { amount: 3000, currency: "EUR" },
    tax_rate_bp: 0,
    customer: { name: "A", email: "a@example.com", phone: null },
    expires_at: "2026-12-01T00:00:00Z",
    created_at: "2026-11-30T00:00:00Z",
    version: 1,
    ...over,
  } as Booking;
}

describe("refund shown before cancelling", () => {
  const now = new Date("2026-12-08T10:00:00Z");
  it("is nothing for an unpaid hold", () => {
    expect(refundPreview(booking({ status: "pending" }), { cancellation_free_hours: 24 }, now)).toEqual({ kind: "unpaid" });
  });
  it("is the full price before the free-cancellation deadline", () => {
    expect(refundPreview(booking({}), { cancellation_free_hours: 24 }, now)).toEqual({ kind: "full", amount: { amount: 3000, currency: "EUR" } });
  });
  it("is nothing after the deadline", () => {
    expect(refundPreview(booking({}), { cancellation_free_hours: 72 }, now)).toEqual({ kind: "none" });
  });
  it("is the full price when the offering has no deadline", () => {
    expect(refundPreview(booking({}), { cancellation_free_hours: null }, now).kind).toBe("full");
  });
  it("only pending and confirmed bookings can be cancelled", () => {
    expect(canCancel(booking({ status: "pending" }))).toBe(true);
    expect(canCancel(booking({ status: "expired" }))).toBe(false);
  });
});

describe("lists", () => {
  it("splits my bookings into upcoming, past and cancelled", () => {
    const now = new Date("2026-12-08T10:00:00Z");
    const items = [
      booking({ id: "up" }),
      booking({ id: "past", start: "2026-12-01T10:00:00Z", end: "2026-12-01T10:30:00Z" }),
      booking({ id: "gone", status: "cancelled" }),
      booking({ id: "lapsed", status: "expired" }),
    ];
    expect(filterBookings(items, "upcoming", now).map((b) => b.id)).toEqual(["up"]);
    expect(filterBookings(items, "past", now).map((b) => b.id)).toEqual(["past"]);
    expect(filterBookings(items, "cancelled", now).map((b) => b.id)).toEqual(["gone", "lapsed"]);
  });
  it("offers staff the moves the state machine allows", () => {
    expect(actionsFor("pending")).toEqual(["confirm", "cancel"]);
    expect(actionsFor("confirmed")).toEqual(["complete", "no-show", "cancel"]);
    expect(actionsFor("cancelled")).toEqual([]);
  });
});
