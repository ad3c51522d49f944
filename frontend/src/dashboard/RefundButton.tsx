// Staff refund of a booking's payment, full or partial: finds the booking's paid payment
// (GET /tenants/{tenant}/payments?booking_id=…), asks amount and reason, and refunds once per attempt.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { api, must, newIdempotencyKey, type Booking } from "../api/client";
import { ErrorAlert, TextField } from "../components/ui";
import { currencyDigits, formatMoney, toMinor } from "../lib/format";
import { useI18n } from "../lib/i18n";

const REFUNDABLE = new Set(["succeeded", "partially_refunded"]);

export function RefundButton({ tenant, booking }: { tenant: string; booking: Booking }) {
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const key = useRef(newIdempotencyKey());
  const payments = useQuery({
    queryKey: ["payments", tenant, booking.id],
    enabled: open,
    queryFn: () =>
      must(api.GET("/api/v1/tenants/{tenant}/payments", { params: { path: { tenant }, query: { booking_id: booking.id } } })),
  });
  const payment = payments.data?.items.find((p) => REFUNDABLE.has(p.status));
  const left = payment ? payment.amount.amount - (payment.refunded?.amount ?? 0) : 0;
  const refund = useMutation({
    mutationFn: () => {
      if (!payment) throw new Error("no payment");
      const minor = amount.trim() ? toMinor(amount, payment.amount.currency) : left;
      return must(
        api.POST("/api/v1/payments/{payment_id}/refunds", {
          params: { path: { payment_id: payment.id } },
          headers: { "Idempotency-Key": key.current },
          body: { amount: { amount: minor, currency: payment.amount.currency }, reason: reason.trim() || t("dash.r.defaultReason") },
        }),
      );
    },
    onSuccess: () => {
      key.current = newIdempotencyKey();
      setAmount("");
      void qc.invalidateQueries({ queryKey: ["payments", tenant, booking.id] });
      void qc.invalidateQueries({ queryKey: ["dash-bookings", tenant] });
    },
  });
  if (!["confirmed", "completed", "no_show"].includes(booking.status)) return null;
  if (!open)
    return (
      <button type="button" className="btn-small" onClick={() => setOpen(true)} aria-label={`${t("dash.r.refund")}: ${booking.customer.name}, ${booking.offering_name}`}>
        {t("dash.r.refund")}
      </button>
    );
  return (
    <form
      className="mt-2 flex w-full flex-col gap-2 rounded-md border border-slate-200 p-2"
      onSubmit={(e) => {
        e.preventDefault();
        refund.mutate();
      }}
    >
      {payments.isLoading && <p>{t("common.loading")}</p>}
      {payments.error && <ErrorAlert error={payments.error} onRetry={() => void payments.refetch()} />}
      {payments.data && !payment && <p>{t("dash.r.nothing")}</p>}
      {payment && (
        <>
          <p>{t("dash.r.left", { amount: formatMoney({ amount: left, currency: payment.amount.currency }, locale) })}</p>
          <TextField
            label={t("dash.r.amount")}
            inputMode="decimal"
            placeholder={(left / 10 ** currencyDigits(payment.amount.currency)).toFixed(currencyDigits(payment.amount.currency))}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
          <TextField label={t("dash.r.reason")} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          {refund.error && <ErrorAlert error={refund.error} />}
          {refund.isSuccess && (
            <p role="status">{t("dash.r.done", { amount: formatMoney(refund.data.amount, locale) })}</p>
          )}
          <div className="flex gap-2">
            <button type="submit" className="btn-small" disabled={refund.isPending || left <= 0}>
              {t("dash.r.submit")}
            </button>
            <button type="button" className="btn-small" onClick={() => setOpen(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
