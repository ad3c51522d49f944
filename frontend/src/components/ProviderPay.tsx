import type { PayPalButtonsComponent } from "@paypal/paypal-js";
import type { Stripe, StripeElements, StripeError, StripePaymentElement } from "@stripe/stripe-js";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { Payment } from "../api/client";
import { useI18n } from "../lib/i18n";
import type { MessageKey } from "../lib/messages";
import { loadScript, withQuery } from "../lib/scripts";
import { Spinner } from "./ui";

// Declines whose real reason is never shown (Stripe's advice): the same words as a generic decline.
const HIDDEN_REASONS = new Set(["fraudulent", "lost_card", "stolen_card", "pickup_card", "restricted_card", "security_violation", "merchant_blacklist"]);

/** What the buyer reads for a failed Stripe confirmation: our own words for declines, Stripe's
 * (localised) message for other card and validation errors, a generic one for anything else. */
export function stripeFailure(error: Pick<StripeError, "type" | "code" | "decline_code" | "message">, t: (key: MessageKey) => string): string {
  // 3-D Secure: the buyer failed (or closed) the bank's challenge; the intent takes another attempt.
  if (error.code === "payment_intent_authentication_failure") return t("pay.p.authFailed");
  if (error.type !== "card_error" && error.type !== "validation_error") return t("pay.failed");
  if (error.decline_code === "insufficient_funds") return t("pay.p.insufficient");
  if (error.code === "card_declined" || (error.decline_code && HIDDEN_REASONS.has(error.decline_code))) return t("pay.declined");
  return error.message ?? t("pay.declined");
}

type StripeProps = {
  payment: Payment;
  scriptUrl: string;
  submitLabel: string;
  /** Stripe accepted the payment in the browser; its webhook confirms the booking. */
  onConfirmed: () => void;
  onFailure: (message: string) => void;
};

/** Stripe's Payment Element (Stripe.js from `scriptUrl`, loaded only here), confirmed in place with
 * `redirect: "if_required"`: cards stay on the page, redirect-based methods come back to this page. */
export function StripePay({ payment, scriptUrl, submitLabel, onConfirmed, onFailure }: StripeProps) {
  const { t } = useI18n();
  const mountRef = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState<{ stripe: Stripe; elements: StripeElements } | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  const [busy, setBusy] = useState(false);
  const { publishable_key: key, client_secret: secret } = payment;

  useEffect(() => {
    if (!key || !secret) return;
    let live = true;
    let element: StripePaymentElement | null = null;
    loadScript(scriptUrl)
      .then(() => {
        if (!live || !window.Stripe || !mountRef.current) return;
        const stripe = window.Stripe(key);
        const elements = stripe.elements({ clientSecret: secret });
        element = elements.create("payment");
        element.on("ready", () => live && setReady({ stripe, elements }));
        element.mount(mountRef.current);
      })
      .catch(() => live && setUnavailable(true));
    return () => {
      live = false;
      element?.destroy();
    };
  }, [scriptUrl, key, secret]);

  if (!key || !secret || unavailable) return <p role="alert">{t("pay.stripeUnavailable")}</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    try {
      const result = await ready.stripe.confirmPayment({
        elements: ready.elements,
        redirect: "if_required",
        confirmParams: { return_url: window.location.href },
      });
      if (result.error) onFailure(stripeFailure(result.error, t));
      else onConfirmed();
    } catch {
      onFailure(t("pay.failed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form noValidate onSubmit={submit} className="space-y-3" aria-busy={!ready}>
      <div ref={mountRef} className="min-h-24" />
      {!ready && <Spinner label={t("common.loading")} />}
      <button type="submit" className="btn w-full sm:w-auto" disabled={!ready || busy}>
        {busy ? <Spinner label={t("pay.processing")} /> : submitLabel}
      </button>
    </form>
  );
}

type PayPalProps = {
  payment: Payment;
  scriptUrl: string;
  /** Opens (or finds) the booking's payment and answers it: its order id goes to the buttons. */
  openPayment: () => Promise<Payment>;
  onApproved: () => Promise<void> | void;
  onFailure: (message: string) => void;
  onCancelled: () => void;
};

/** PayPal's buttons (the JS SDK from `scriptUrl` with our client id and currency, loaded only here).
 * Our server creates the order and, when the buyer approved it, captures it (`onApproved`). */
export function PayPalPay({ payment, scriptUrl, openPayment, onApproved, onFailure, onCancelled }: PayPalProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "unavailable">("loading");
  const callbacks = useRef({ openPayment, onApproved, onFailure, onCancelled });
  callbacks.current = { openPayment, onApproved, onFailure, onCancelled };
  const clientId = payment.client_id;
  const currency = payment.amount.currency;

  useEffect(() => {
    if (!clientId) return;
    let live = true;
    let buttons: PayPalButtonsComponent | null = null;
    loadScript(withQuery(scriptUrl, { "client-id": clientId, currency, intent: "capture" }))
      .then(async () => {
        if (!live || !window.paypal?.Buttons || !ref.current) return;
        buttons = window.paypal.Buttons({
          createOrder: async () => {
            const open = await callbacks.current.openPayment();
            if (!open.order_id) throw new Error("no PayPal order");
            return open.order_id;
          },
          onApprove: async () => {
            await callbacks.current.onApproved();
          },
          onCancel: () => callbacks.current.onCancelled(),
          onError: () => callbacks.current.onFailure(t("pay.p.paypalError")),
        });
        await buttons.render(ref.current);
        if (live) setState("ready");
      })
      .catch(() => live && setState("unavailable"));
    return () => {
      live = false;
      void buttons?.close().catch(() => undefined);
    };
  }, [scriptUrl, clientId, currency, t]);

  if (!clientId || state === "unavailable") return <p role="alert">{t("pay.p.paypalUnavailable")}</p>;
  return (
    <div className="space-y-2">
      <div ref={ref} aria-label={t("pay.paypal")} role="group" />
      {state === "loading" && <Spinner label={t("common.loading")} />}
    </div>
  );
}
