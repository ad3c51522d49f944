import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { ApiError, api, must, type Booking } from "../api/client";
import { CancelBooking } from "../components/CancelBooking";
import { Checkout } from "../components/Checkout";
import { HoldTimer } from "../components/HoldTimer";
import { Steps } from "../components/Steps";
import { ErrorAlert, Notice, Skeleton, StatusBadge } from "../components/ui";
import { formatDateTime, formatMoney } from "../lib/format";
import { bookingToken, tokenHeader } from "../lib/guest";
import { useI18n } from "../lib/i18n";
import { useTenant } from "../lib/queries";
import { canCancel } from "../lib/policy";

/** A booking behind its link: pay while pending, the confirmation once paid, cancel within policy. */
export function BookingPage() {
  const { tenant = "", bookingId = "" } = useParams();
  const { hash } = useLocation();
  const { t, locale } = useI18n();
  const [token] = useState(() => bookingToken(bookingId, hash));
  const [paid, setPaid] = useState(false);
  const tenantInfo = useTenant(tenant);
  const booking = useQuery({
    queryKey: ["booking", bookingId],
    queryFn: () =>
      must(
        api.GET("/api/v1/tenants/{tenant}/bookings/{booking_id}", {
          params: { path: { tenant, booking_id: bookingId }, header: tokenHeader(token) },
        }),
      ),
    // After paying, the confirmation arrives through an event: poll until the status moves on.
    refetchInterval: (q) => (paid && q.state.data?.status === "pending" ? 1000 : false),
  });
  const onPaid = useCallback(() => setPaid(true), []);
  const [expired, setExpired] = useState(false);
  const onExpired = useCallback(() => setExpired(true), []);
  const heading = useRef<HTMLHeadingElement>(null);
  const status = booking.data?.status;
  useEffect(() => {
    if (status === "confirmed") heading.current?.focus();
  }, [status]);

  if (booking.isError) {
    const notFound = booking.error instanceof ApiError && [401, 403, 404].includes(booking.error.status);
    return notFound ? <Notice tone="warn">{t("booking.notFound")}</Notice> : <ErrorAlert error={booking.error} onRetry={() => void booking.refetch()} />;
  }
  const b = booking.data;
  if (!b) return <Skeleton className="h-64" />;
  const zone = tenantInfo.data?.timezone ?? "UTC";
  const confirmed = b.status === "confirmed" || b.status === "completed";
  return (
    <div className="space-y-6">
      <Steps current={confirmed ? 3 : b.status === "pending" ? 2 : 3} />
      <header className="space-y-2">
        <h1 ref={heading} tabIndex={-1} className="text-2xl font-bold">
          {b.status === "confirmed" ? t("booking.confirmedHead") : t("booking.title")}
        </h1>
        <StatusBadge status={b.status} />
        {b.status === "confirmed" && <p>{t("booking.confirmedLead", { email: b.customer.email })}</p>}
      </header>
      <div className="grid gap-6 md:grid-cols-2">
        <section className="card" aria-label={t("details.summary")}>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <dt className="text-slate-600">{t("booking.what")}</dt>
            <dd className="font-medium">{b.offering_name}</dd>
            {b.start && (
              <>
                <dt className="text-slate-600">{t("booking.when")}</dt>
                <dd>
                  {formatDateTime(b.start, zone, locale)} <span className="text-sm text-slate-600">({zone})</span>
                </dd>
              </>
            )}
            <dt className="text-slate-600">{t("booking.who")}</dt>
            <dd>
              {b.customer.name} · {b.customer.email}
            </dd>
            <dt className="text-slate-600">{t("booking.quantity")}</dt>
            <dd>{b.quantity}</dd>
            <dt className="text-slate-600">{t("booking.price")}</dt>
            <dd className="font-semibold">{formatMoney(b.total, locale)}</dd>
            {b.refund && (
              <>
                <dt className="text-slate-600">{t("dash.b.refund")}</dt>
                <dd>{t("booking.refunded", { amount: formatMoney(b.refund, locale) })}</dd>
              </>
            )}
          </dl>
          <p className="mt-3 text-sm text-slate-600">{t("booking.bookmark")}</p>
        </section>
        <div className="space-y-4">
          {b.status === "pending" && !expired && <HoldTimer expiresAt={b.expires_at} onExpired={onExpired} />}
          {b.status === "pending" && expired && (
            <Link to={`/t/${tenant}/o/${b.offering_id}`} className="link">
              {t("details.chooseOther")}
            </Link>
          )}
          {b.status === "pending" && !expired && (paid ? <Notice>{t("pay.waiting")}</Notice> : <Checkout booking={b} token={token} onPaid={onPaid} />)}
          {confirmed && <Receipt tenant={tenant} booking={b} token={token} />}
          {b.status === "cancelled" && <Notice>{t("booking.cancelled")}</Notice>}
          {canCancel(b) && <CancelBooking booking={b} tenant={tenant} token={token} />}
        </div>
      </div>
    </div>
  );
}

/** The receipt (issue 12) is offered once the API has one; until then a short note. */
function Receipt({ tenant, booking, token }: { tenant: string; booking: Booking; token: string | null }) {
  const { t } = useI18n();
  const receipt = useQuery({
    queryKey: ["receipt", booking.id],
    queryFn: async () => {
      const { data, response } = await api.GET("/api/v1/tenants/{tenant}/bookings/{booking_id}/receipt", {
        params: { path: { tenant, booking_id: booking.id }, header: tokenHeader(token) },
        parseAs: "blob",
      });
      if (!response.ok || !data) throw new ApiError(response.status, {});
      return URL.createObjectURL(data as Blob);
    },
    retry: 5,
    retryDelay: 2000,
    staleTime: Infinity,
  });
  if (receipt.isError) return null; // no receipt service (yet) or none for this booking: offer nothing
  if (!receipt.data) return <p className="text-sm text-slate-600">{t("booking.receiptPending")}</p>;
  return (
    <a href={receipt.data} download={`receipt-${booking.id}.pdf`} className="btn-secondary">
      {t("booking.receipt")}
    </a>
  );
}
