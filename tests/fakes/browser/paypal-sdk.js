// A local fake of the PayPal JS SDK (https://www.paypal.com/sdk/js?client-id=…&currency=…&intent=capture)
// for browser tests, with the documented shape `paypal.Buttons({createOrder, onApprove, onCancel,
// onError}).render(el)` (also `isEligible()`, `close()`). The button opens a stand-in for PayPal's
// popup (an in-page dialog "PayPal (test)") where the buyer pays or cancels; paying approves the order
// at the fake PayPal server that served this file, which then sends CHECKOUT.ORDER.APPROVED as PayPal
// does, and the SDK calls onApprove({orderID, payerID}, actions).
(function () {
  var src = new URL(document.currentScript.src);
  var api = src.origin;
  var clientId = src.searchParams.get("client-id");
  if (!clientId) throw new Error("fake PayPal SDK: client-id is required");

  function Buttons(options) {
    var container = null;
    var popup = null;
    var fail = function (err) { if (options.onError) options.onError(err); };
    var closePopup = function () { if (popup) popup.remove(); popup = null; };
    var buyer = function (orderID) {
      popup = document.createElement("div");
      popup.setAttribute("role", "dialog");
      popup.setAttribute("aria-label", "PayPal (test)");
      popup.style.cssText = "position:fixed;inset:20% 10%;background:#fff;border:2px solid #003087;padding:16px;z-index:1000";
      var title = document.createElement("h2");
      title.textContent = "PayPal (test): order " + orderID;
      var pay = document.createElement("button");
      pay.textContent = "Pay now";
      var cancel = document.createElement("button");
      cancel.textContent = "Cancel and return";
      popup.append(title, pay, cancel);
      document.body.appendChild(popup);
      cancel.onclick = function () {
        closePopup();
        if (options.onCancel) options.onCancel({ orderID: orderID });
      };
      pay.onclick = function () {
        fetch(api + "/checkoutnow/" + orderID + "/approve", { method: "POST", body: new URLSearchParams({ "client-id": clientId }) })
          .then(function (r) { if (!r.ok) throw new Error("PayPal refused the approval (" + r.status + ")"); return r.json(); })
          .then(function (approved) {
            closePopup();
            var actions = { restart: function () { return start(); }, order: { get: function () { return Promise.resolve(approved); } } };
            return options.onApprove({ orderID: orderID, payerID: approved.payer_id, paymentSource: "paypal" }, actions);
          })
          .catch(function (err) { closePopup(); fail(err); });
      };
    };
    var start = function () {
      return Promise.resolve()
        .then(function () { return options.createOrder({ paymentSource: "paypal" }, {}); })
        .then(function (orderID) {
          if (!orderID) throw new Error("Expected an order id to be passed");
          buyer(orderID);
        })
        .catch(fail);
    };
    return {
      isEligible: function () { return true; },
      render: function (target) {
        container = typeof target === "string" ? document.querySelector(target) : target;
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = "PayPal";
        button.setAttribute("aria-label", "PayPal");
        button.style.cssText = "background:#ffc439;color:#111;border-radius:4px;padding:8px 24px;font-weight:bold";
        button.onclick = start;
        container.appendChild(button);
        return Promise.resolve();
      },
      close: function () { closePopup(); if (container) container.textContent = ""; return Promise.resolve(); },
    };
  }

  window.paypal = { Buttons: Buttons, version: "fake" };
})();
