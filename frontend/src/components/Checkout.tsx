import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useForm, type Resolver } from "react-hook-form";
import { ApiError, api, must, type Booking, type Payment } from "../api/client";
import { formatMoney } from "../lib/format";
import { tokenHeader } from "../lib/guest";
import { useI18n } from "../lib/i18n";
import { cardSchema } from "../lib/schemas";
import { useWebConfig } from "../lib/scripts";
import { PayPalPay, StripePay } from "./ProviderPay";
import { ErrorAlert, Skeleton, Spinner, TextField } from "./ui";

type CardForm = { card: string };

const DECLINE_CODES = new Set(["card_declined", "generic_decline", "insufficient_funds", "lost_card", "stolen_card", "fraudulent", "do_not_honor"]);

/** The query Stripe adds to `return_url` when a redirect-based payment method (a bank's page) sends
 * the buyer back: `payment_intent`, `payment_intent_client_secret` and `redirect_status`. */
const RETURN_PARAMS = ["payment_intent", "payment_intent_client_secret", "redirect_status"];

/** What a return from the bank's page means for the checkout: paid (or on its way: the webhook
 * confirms the booking), failed (nothing charged: pay again), or no return at all. */
export function redirectOutcome(search: string): "paid" | "failed" | null {
  const status = new URLSearchParams(search).get("redirect_status");
  if (status === "succeeded" || status === "processing" || status === "pending") return "paid";
  return status === "failed" ? "failed" : null;
}

/** The address without Stripe's return query (a reload then shows the checkout as it is now). */
function forgetReturn() {
  const url = new URL(window.location.href);
  RETURN_PARAMS.forEach((name) => url.searchParams.delete(name));
  window.history.replaceState(window.history.state, "", url.toString());
}

/**
 * Pays a pending booking through the payment API (pinned in issue 11): open (or reuse) the
 * booking's payment, then per provider — the test card form, Stripe's Payment Element or PayPal's
 * buttons (their scripts from the runtime config, loaded only here). A decline is shown in words and
 * the form stays for a retry; `requires_action` links to the bank's page and the status is polled;
 * after Stripe or PayPal accepted in the browser, the payment is polled until their webhook lands.
 */
export function Checkout({ booking, token, onPaid }: { booking: Booking; token: string | null; onPaid: () => void }) {
  const { t, locale } = useI18n();
  const qc = useQueryClient();
  const [payment, setPayment] = useState<Payment | null>(null);
  const [returned] = useState(() => redirectOutcome(window.location.search));
  const [failure, setFailure] = useState<string | null>(returned === "failed" ? t("pay.p.redirectFailed") : null);
  const [error, setError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const config = useWebConfig();
  const alertRef = useRef<HTMLDivElement>(null);
  const headers = tokenHeader(token);
  const form = useForm<CardForm>({ resolver: zodResolver(cardSchema) as unknown as Resolver<CardForm>, defaultValues: { card: "" } });

  const open = async (): Promise<Payment> =>
    must(api.POST("/api/v1/payments", { params: { header: headers }, body: { booking_id: booking.id } }));

  useEffect(() => {
    if (returned) forgetReturn();
    if (returned === "paid") {
      onPaid(); // the provider's webhook confirms the booking; the page waits for it
      return;
    }
    let live = true;
    open()
      .then((p) => live && setPayment(p))
      .catch((err: unknown) => {
        if (!live) return;
        // Paid meanwhile (another tab, a bank's page): the booking follows once booking hears of it.
        if (err instanceof ApiError && err.code === "already_paid") onPaid();
        else setError(err);
      });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [booking.id]);

  // Stripe or PayPal accepted in the browser: the provider's webhook settles our payment. A failed
  // status seen meanwhile may be an earlier Stripe attempt on the same intent; PayPal's capture can fail.
  useEffect(() => {
    if (!payment || !confirming) return;
    const timer = setInterval(async () => {
      const { data } = await api.GET("/api/v1/payments/{payment_id}", { params: { path: { payment_id: payment.id }, header: headers } });
      if (data?.status === "succeeded" || (data?.status === "failed" && data.provider === "paypal")) {
        setConfirming(false);
        settle(data);
      }
    }, 1000);
    return () => clearInterval(timer);
  });

  // Waiting on the bank (3-D Secure) or the provider: poll the payment until it settles.
  useEffect(() => {
    if (!payment || confirming || payment.provider !== "test") return;
    if (payment.status !== "requires_action" && payment.status !== "processing") return;
    const timer = setInterval(async () => {
      const { data } = await api.GET("/api/v1/payments/{payment_id}", { params: { path: { payment_id: payment.id }, header: headers } });
      if (data && data.status !== payment.status) settle(data);
    }, 2000);
    return () => clearInterval(timer);
  });

  const settle = (p: Payment) => {
    setPayment(p);
    if (p.status === "succeeded") {
      void qc.invalidateQueries({ queryKey: ["booking", booking.id] });
      onPaid();
    } else if (p.status === "failed") {
      setFailure(
        p.failure_code === "instrument_declined"
          ? t("pay.p.paypalDeclined")
          : p.failure_code && DECLINE_CODES.has(p.failure_code)
            ? t("pay.declined")
            : t("pay.failed"),
      );
      setTimeout(() => alertRef.current?.focus(), 0);
    }
  };

  const pay = form.handleSubmit(async ({ card }) => {
    setFailure(null);
    setError(null);
    try {
      // After a failure the open payment may be spent: ask again (the API answers the open one or a new one).
      const current = payment && payment.status === "requires_payment_method" ? payment : await open();
      const result = await must(
        api.POST("/api/v1/payments/{payment_id}/confirm", {
          params: { path: { payment_id: current.id }, header: headers },
          body: { card_number: card },
        }),
      );
      settle(result);
    } catch (err) {
      if (err instanceof ApiError && err.status === 402) {
        setFailure(t("pay.declined"));
        setTimeout(() => alertRef.current?.focus(), 0);
      } else setError(err);
    }
  });

  const fail = (message: string) => {
    setCancelled(false);
    setFailure(message);
    setTimeout(() => alertRef.current?.focus(), 0);
  };

  if (error) return <ErrorAlert error={error} />;
  if (!payment)
    return (
      <div role="status" aria-label={t("common.loading")}>
        <Skeleton className="h-48" />
      </div>
    );
  const amount = formatMoney(payment.amount ?? booking.total, locale);
  return (
    <section className="card space-y-4" aria-labelledby="pay-title">
      <h2 id="pay-title" className="text-xl font-semibold">
        {t("pay.title")}
      </h2>
      {payment.provider === "test" && (
        <form noValidate onSubmit={pay} className="space-y-3">
          <p className="rounded bg-amber-100 px-2 py-1 text-sm text-amber-950">{t("pay.testMode")}</p>
          <TextField
            label={t("pay.card")}
            inputMode="numeric"
            autoComplete="cc-number"
            placeholder="4242 4242 4242 4242"
            {...form.register("card")}
            error={form.formState.errors.card && t("v.card")}
          />
          <button type="submit" className="btn w-full sm:w-auto" disabled={form.formState.isSubmitting || payment.status === "requires_action"}>
            {form.formState.isSubmitting ? <Spinner label={t("pay.processing")} /> : t("pay.submit", { amount })}
          </button>
        </form>
      )}
      {payment.provider !== "test" && !config.data && <Skeleton className="h-24" />}
      {payment.provider === "stripe" && config.data && !confirming && (
        <StripePay
          payment={payment}
          scriptUrl={config.data.stripe_js_url}
          submitLabel={t("pay.submit", { amount })}
          onConfirmed={() => {
            setFailure(null);
            setConfirming(true);
          }}
          onFailure={fail}
        />
      )}
      {payment.provider === "paypal" && config.data && !confirming && (
        <PayPalPay
          payment={payment}
          scriptUrl={config.data.paypal_sdk_url}
          openPayment={async () => {
            setFailure(null);
            setCancelled(false);
            const p = await open();
            setPayment(p);
            return p;
          }}
          onApproved={async () => {
            // Capture now (the webhook would too, later); if that answer does not settle it, wait for the webhook.
            try {
              const captured = await must(
                api.POST("/api/v1/payments/{payment_id}/capture", { params: { path: { payment_id: payment.id }, header: headers } }),
              );
              if (captured.status === "succeeded" || captured.status === "failed") return settle(captured);
            } catch {
              // the webhook captures it
            }
            setConfirming(true);
          }}
          onFailure={fail}
          onCancelled={() => setCancelled(true)}
        />
      )}
      {confirming && (
        <div role="status">
          <Spinner label={t("pay.p.confirming")} />
          <p>{t("pay.p.confirming")}</p>
        </div>
      )}
      {cancelled && <p role="status">{t("pay.p.cancelled")}</p>}
      {failure && (
        <div ref={alertRef} tabIndex={-1} role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-red-900">
          {failure}
        </div>
      )}
      {payment.status === "requires_action" && payment.next_action?.url && (
        <div role="status" className="space-y-2">
          <p>{t("pay.action")}</p>
          <a href={payment.next_action.url} target="_blank" rel="noopener" className="btn-secondary">
            {t("pay.actionLink")}
          </a>
          <Spinner label={t("pay.waiting")} />
        </div>
      )}
    </section>
  );
}
