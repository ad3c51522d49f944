// A local fake of Stripe.js v3 (https://js.stripe.com/v3/) for browser tests: the documented shapes
// `Stripe(publishableKey)`, `stripe.elements({clientSecret})`, `elements.create("payment")`,
// `element.mount(el)`, `element.on("ready"|"change", fn)`, `element.destroy()` and
// `stripe.confirmPayment({elements, redirect: "if_required", confirmParams: {return_url}})`, which
// resolves `{paymentIntent}` or `{error: {type, code, decline_code, message}}`. The Payment Element is
// a plain card-number field (no iframe); confirming posts to the fake Stripe server that served this
// file, as Stripe.js posts to api.stripe.com (/v1/payment_intents/{id}/confirm with the client secret
// and the publishable key), and that server then sends the webhook Stripe would send. An intent that
// answers `requires_action` (3-D Secure test cards) gets the issuer's challenge as Stripe.js shows it,
// a modal over the page: "Complete authentication" or "Fail authentication" (Stripe's test page offers
// the same two), posted to the fake server, which then charges the card or fails the payment.
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

  function answer(json) {
    return json.error ? { error: json.error } : { paymentIntent: json };
  }

  function challenge(intent, secret) {
    return new Promise(function (resolve) {
      var dialog = document.createElement("div");
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
      dialog.setAttribute("aria-label", "3D Secure (test)");
      dialog.style.cssText = "position:fixed;inset:20% 10%;background:#fff;border:2px solid #333;padding:16px;z-index:9999";
      var text = document.createElement("p");
      text.textContent = "Your bank asks you to confirm this payment.";
      dialog.appendChild(text);
      ["complete", "fail"].forEach(function (outcome) {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = outcome === "complete" ? "Complete authentication" : "Fail authentication";
        button.addEventListener("click", function () {
          dialog.remove();
          var body = new URLSearchParams({ client_secret: secret, outcome: outcome });
          fetch(api + "/v1/payment_intents/" + intent.id + "/authenticate", { method: "POST", body: body })
            .then(function (r) { return r.json(); })
            .then(function (json) { resolve(answer(json)); });
        });
        dialog.appendChild(button);
      });
      document.body.appendChild(dialog);
    });
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
          .then(function (json) {
            return !json.error && json.status === "requires_action" ? challenge(json, secret) : answer(json);
          });
      },
    };
  };
})();
