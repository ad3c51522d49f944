import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, must, type Booking } from "../api/client";
import { formatMoney } from "../lib/format";
import { tokenHeader } from "../lib/guest";
import { useI18n } from "../lib/i18n";
import { refundPreview } from "../lib/policy";
import { useOffering } from "../lib/queries";
import { ErrorAlert } from "./ui";

/** Cancel with the refund shown first: the person sees what they get back before confirming. */
export function CancelBooking({ booking, tenant, token }: { booking: Booking; tenant: string; token: string | null }) {
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const [asking, setAsking] = useState(false);
  const offering = useOffering(tenant, booking.offering_id);
  const cancel = useMutation({
    mutationFn: () =>
      must(
        api.POST("/api/v1/tenants/{tenant}/bookings/{booking_id}/cancel", {
          params: { path: { tenant, booking_id: booking.id }, header: tokenHeader(token) },
          body: { version: booking.version },
        }),
      ),
    onSuccess: (b) => {
      qc.setQueryData(["booking", booking.id], b);
      void qc.invalidateQueries({ queryKey: ["my-bookings"] });
      setAsking(false);
    },
  });
  const preview = refundPreview(booking, offering.data, new Date());
  const refundText =
    preview.kind === "unpaid"
      ? t("booking.refundUnpaid")
      : preview.kind === "full"
        ? t("booking.refundFull", { amount: formatMoney(preview.amount, locale) })
        : t("booking.refundNone");
  if (!asking)
    return (
      <button type="button" className="btn-secondary" onClick={() => setAsking(true)}>
        {t("booking.cancel")}
      </button>
    );
  return (
    <div role="group" aria-labelledby={`cancel-${booking.id}`} className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
      <p id={`cancel-${booking.id}`} className="font-semibold">
        {t("booking.cancelConfirm")}
      </p>
      <p>{refundText}</p>
      {cancel.isError && <ErrorAlert error={cancel.error} />}
      <div className="flex flex-wrap gap-2">
        <button type="button" className="btn" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
          {t("booking.cancelYes")}
        </button>
        <button type="button" className="btn-secondary" onClick={() => setAsking(false)}>
          {t("booking.cancelNo")}
        </button>
      </div>
    </div>
  );
}
