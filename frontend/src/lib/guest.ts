// Guest credentials of bookings made in this browser (or opened from an emailed link), so that
// a reload keeps access. The link carries the token in its fragment, which never reaches a server.
const KEY = "reservo.bookingTokens";

function all(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

export function rememberBookingToken(bookingId: string, token: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...all(), [bookingId]: token }));
  } catch {
    /* no storage: the link still works */
  }
}

export function bookingToken(bookingId: string, hash: string): string | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, "")).get("token");
  if (fromHash) {
    rememberBookingToken(bookingId, fromHash);
    return fromHash;
  }
  return all()[bookingId] ?? null;
}

export function tokenHeader(token: string | null): { "X-Booking-Token"?: string } {
  return token ? { "X-Booking-Token": token } : {};
}
