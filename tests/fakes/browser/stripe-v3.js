// A local fake of Stripe.js v3 (https://js.stripe.com/v3/) for browser tests: the documented shapes
// `Stripe(publishableKey)`, `stripe.elements({clientSecret})`, `elements.create("payment")`,
// `element.mount(el)`, `element.on("ready"|"change", fn)`, `element.destroy()` and
// `stripe.confirmPayment({elements, redirect: "if_required", confirmParams: {return_url}})`, which
// resolves `{paymentIntent}` or `{error: {type, code, decline_code, message}}`. The Payment Element is
// a plain card-number field (no iframe); confirming posts to the fake Stripe server that served this
// file, as Stripe.js posts to api.stripe.com (/v1/payment_intents/{id}/confirm with the client secret
// and the publishable key), and that server then sends the webhook Stripe would send.
(function () {
  var api = new URL(document.currentScript.src).origin;

  function PaymentElement(elements) {
    var handlers = {};
    var input = null;
    var root = null;
    var emit = function (name, event) {
      (handlers[name] || []).forEach(function (fn) { fn(event); });
    };
    return {
      mount: function (target) {
        root = typeof target === "string" ? document.querySelector(target) : target;
        var label = document.createElement("label");
        label.textContent = "Card number";
        label.style.display = "block";
        input = document.createElement("input");
        input.setAttribute("inputmode", "numeric");
        input.setAttribute("autocomplete", "cc-number");
        input.style.cssText = "display:block;width:100%;border:1px solid #888;border-radius:4px;padding:6px";
        input.addEventListener("input", function () {
          emit("change", { elementType: "payment", empty: !input.value, complete: input.value.replace(/\D/g, "").length >= 12 });
        });
        label.appendChild(input);
        root.appendChild(label);
        elements._card = function () { return input.value.replace(/\D/g, ""); };
        setTimeout(function () { emit("ready", { elementType: "payment" }); }, 0);
      },
      on: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); return this; },
      off: function (name, fn) { handlers[name] = (handlers[name] || []).filter(function (h) { return h !== fn; }); return this; },
      unmount: function () { if (root) root.textContent = ""; },
      destroy: function () { if (root) root.textContent = ""; },
    };
  }

  window.Stripe = function (publishableKey) {
    return {
      elements: function (options) {
        var elements = {
          _clientSecret: options && options.clientSecret,
          _card: function () { return ""; },
          create: function (type) {
            if (type !== "payment") throw new Error("fake Stripe.js: only the Payment Element");
            return PaymentElement(elements);
          },
          submit: function () { return Promise.resolve({}); },
        };
        return elements;
      },
      confirmPayment: function (options) {
        var elements = options.elements;
        var secret = elements._clientSecret;
        var card = elements._card();
        if (!card) {
          return Promise.resolve({ error: { type: "validation_error", code: "incomplete_number", message: "Your card number is incomplete." } });
        }
        var body = new URLSearchParams({
          key: publishableKey,
          client_secret: secret,
          "payment_method_data[type]": "card",
          "payment_method_data[card][number]": card,
          return_url: (options.confirmParams || {}).return_url || "",
        });
        return fetch(api + "/v1/payment_intents/" + secret.split("_secret_")[0] + "/confirm", { method: "POST", body: body })
          .then(function (r) { return r.json(); })
          .then(function (json) { return json.error ? { error: json.error } : { paymentIntent: json }; });
      },
    };
  };
})();
