import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Payment } from "../api/client";
import { redirectOutcome } from "../components/Checkout";
import { PayPalPay, StripePay, stripeFailure } from "../components/ProviderPay";
import { I18nProvider } from "../lib/i18n";
import { en } from "../lib/messages";
import { fetchWebConfig, withQuery } from "../lib/scripts";

const loaded: string[] = [];
vi.mock("../lib/scripts", async (original) => ({
  ...(await original<typeof import("../lib/scripts")>()),
  loadScript: vi.fn(async (url: string) => {
    loaded.push(url);
  }),
}));

afterEach(() => {
  loaded.length = 0;
  vi.unstubAllGlobals();
  delete (window as { Stripe?: unknown }).Stripe;
  delete (window as { paypal?: unknown }).paypal;
});

const base = { id: "p-1", booking_id: "b-1", status: "requires_payment_method", amount: { amount: 3000, currency: "EUR" }, created_at: "2026-12-01T00:00:00Z" };
const t = (key: keyof typeof en) => en[key];

describe("stripeFailure", () => {
  it("says declined in our words, hides fraud reasons, keeps Stripe's text for other card errors", () => {
    expect(stripeFailure({ type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "x" }, t)).toBe(en["pay.declined"]);
    expect(stripeFailure({ type: "card_error", code: "card_declined", decline_code: "stolen_card", message: "stolen!" }, t)).toBe(en["pay.declined"]);
    expect(stripeFailure({ type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "x" }, t)).toBe(en["pay.p.insufficient"]);
    expect(stripeFailure({ type: "card_error", code: "incorrect_cvc", message: "Your card's security code is incorrect." }, t)).toBe("Your card's security code is incorrect.");
    expect(stripeFailure({ type: "api_error", message: "internal detail" }, t)).toBe(en["pay.failed"]);
  });

  it("says the bank did not confirm when 3-D Secure authentication failed", () => {
    const failed = { type: "invalid_request_error", code: "payment_intent_authentication_failure", message: "We are unable to authenticate your payment method." } as const;
    expect(stripeFailure(failed, t)).toBe(en["pay.p.authFailed"]);
  });
});

describe("redirectOutcome", () => {
  it("reads Stripe's return query: paid or on its way, failed, or no return", () => {
    expect(redirectOutcome("?payment_intent=pi_1&payment_intent_client_secret=s&redirect_status=succeeded")).toBe("paid");
    expect(redirectOutcome("?redirect_status=processing")).toBe("paid");
    expect(redirectOutcome("?payment_intent=pi_1&redirect_status=failed")).toBe("failed");
    expect(redirectOutcome("")).toBeNull();
    expect(redirectOutcome("?redirect_status=whatever")).toBeNull();
  });
});

describe("StripePay", () => {
  it("mounts the Payment Element with the intent's secret and confirms in place; a decline is reported", async () => {
    const calls: unknown[] = [];
    let ready: () => void = () => undefined;
    const confirmPayment = vi
      .fn()
      .mockResolvedValueOnce({ error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "no" } })
      .mockResolvedValueOnce({ paymentIntent: { status: "succeeded" } });
    const element = {
      mount: vi.fn(),
      destroy: vi.fn(),
      on: (name: string, fn: () => void) => {
        if (name === "ready") ready = fn;
      },
    };
    (window as unknown as { Stripe: unknown }).Stripe = (key: string) => {
      calls.push(key);
      return {
        elements: (options: unknown) => {
          calls.push(options);
          return { create: (type: string) => (calls.push(type), element) };
        },
        confirmPayment,
      };
    };
    const onConfirmed = vi.fn();
    const onFailure = vi.fn();
    const payment = { ...base, provider: "stripe", client_secret: "pi_1_secret_2", publishable_key: "pk_test_1" } as unknown as Payment;
    render(
      <I18nProvider locale="en">
        <StripePay payment={payment} scriptUrl="http://fake/v3/" submitLabel="Pay €30.00" onConfirmed={onConfirmed} onFailure={onFailure} />
      </I18nProvider>,
    );
    await waitFor(() => expect(element.mount).toHaveBeenCalled());
    expect(loaded).toEqual(["http://fake/v3/"]);
    expect(calls).toEqual(["pk_test_1", { clientSecret: "pi_1_secret_2" }, "payment"]);
    const pay = screen.getByRole("button", { name: "Pay €30.00" });
    expect(pay).toBeDisabled(); // until the element is ready
    act(() => ready());
    await waitFor(() => expect(pay).toBeEnabled());
    const user = userEvent.setup();
    await user.click(pay);
    await waitFor(() => expect(onFailure).toHaveBeenCalledWith(en["pay.declined"]));
    expect(onConfirmed).not.toHaveBeenCalled();
    await user.click(pay);
    await waitFor(() => expect(onConfirmed).toHaveBeenCalledOnce());
    expect(confirmPayment.mock.calls[0]?.[0]).toMatchObject({ redirect: "if_required", confirmParams: { return_url: window.location.href } });
  });

  it("without a publishable key says card payment is unavailable and loads nothing", () => {
    const payment = { ...base, provider: "stripe", client_secret: "pi_1_secret_2", publishable_key: null } as unknown as Payment;
    render(
      <I18nProvider locale="en">
        <StripePay payment={payment} scriptUrl="http://fake/v3/" submitLabel="Pay" onConfirmed={vi.fn()} onFailure={vi.fn()} />
      </I18nProvider>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent(en["pay.stripeUnavailable"]);
    expect(loaded).toEqual([]);
  });
});

describe("PayPalPay", () => {
  it("loads the SDK with client id and currency, creates the order through our API, reports approve and cancel", async () => {
    let options: Record<string, (...args: unknown[]) => unknown> = {};
    const call = (name: string, ...args: unknown[]) => options[name]!(...args);
    const render_ = vi.fn(async () => undefined);
    (window as unknown as { paypal: unknown }).paypal = {
      Buttons: (o: typeof options) => {
        options = o;
        return { render: render_, close: async () => undefined };
      },
    };
    const payment = { ...base, provider: "paypal", status: "requires_action", client_id: "cid", order_id: "ORDER1" } as unknown as Payment;
    const openPayment = vi.fn(async () => payment);
    const onApproved = vi.fn();
    const onCancelled = vi.fn();
    const onFailure = vi.fn();
    render(
      <I18nProvider locale="en">
        <PayPalPay payment={payment} scriptUrl="http://fake/sdk/js" openPayment={openPayment} onApproved={onApproved} onFailure={onFailure} onCancelled={onCancelled} />
      </I18nProvider>,
    );
    await waitFor(() => expect(render_).toHaveBeenCalled());
    expect(loaded).toEqual(["http://fake/sdk/js?client-id=cid&currency=EUR&intent=capture"]);
    expect(await call("createOrder", {}, {})).toBe("ORDER1");
    expect(openPayment).toHaveBeenCalledOnce();
    await call("onApprove", { orderID: "ORDER1" }, {});
    expect(onApproved).toHaveBeenCalledOnce();
    call("onCancel", { orderID: "ORDER1" });
    expect(onCancelled).toHaveBeenCalledOnce();
    call("onError", new Error("boom"));
    expect(onFailure).toHaveBeenCalledWith(en["pay.p.paypalError"]);
  });
});

describe("runtime config and scripts", () => {
  it("reads /web-config.json and falls back to the real providers' URLs", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ stripe_js_url: "http://fake/v3/", maps_api_key: "k" })));
    expect(await fetchWebConfig()).toMatchObject({ stripe_js_url: "http://fake/v3/", paypal_sdk_url: "https://www.paypal.com/sdk/js", maps_api_key: "k" });
    vi.stubGlobal("fetch", vi.fn(async () => new Response("nope", { status: 404 })));
    expect((await fetchWebConfig()).stripe_js_url).toBe("https://js.stripe.com/v3/");
  });

  it("adds query parameters to a configured URL", () => {
    expect(withQuery("https://www.paypal.com/sdk/js?debug=true", { "client-id": "a b" })).toBe("https://www.paypal.com/sdk/js?debug=true&client-id=a+b");
  });
});
