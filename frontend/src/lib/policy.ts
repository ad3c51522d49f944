import type { Booking, Money, Offering } from "../api/client";

export type RefundPreview = { kind: "unpaid" } | { kind: "full"; amount: Money } | { kind: "none" };

/**
 * What cancelling now gives back, shown before the person confirms. Mirrors the booking service
 * (lifecycle._refund): a pending hold was never paid; a confirmed booking is refunded in full before
 * the offering's free-cancellation deadline (or when it has none), else not at all.
 */
export function refundPreview(b: Booking, o: Pick<Offering, "cancellation_free_hours"> | undefined, now: Date): RefundPreview {
  if (b.status !== "confirmed") return { kind: "unpaid" };
  const hours = o?.cancellation_free_hours ?? null;
  if (!b.start || hours === null) return { kind: "full", amount: b.total };
  const deadline = new Date(b.start).getTime() - hours * 3600_000;
  return now.getTime() <= deadline ? { kind: "full", amount: b.total } : { kind: "none" };
}

export function canCancel(b: Booking): boolean {
  return b.status === "pending" || b.status === "confirmed";
}
