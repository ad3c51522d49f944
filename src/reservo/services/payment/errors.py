"""Problems the payment service answers with; each `code` is stable, clients branch on it."""

from reservo.platform.http.problems import Conflict, NotFound, Problem, Unauthorized, ValidationFailed


class PaymentNotFound(NotFound):
    code, title = "payment_not_found", "No such payment"


class BookingNotFound(NotFound):
    code, title = "booking_not_found", "No such booking"


class AlreadyPaid(Conflict):
    code, title = "already_paid", "This booking is already paid"


class BookingNotPayable(Conflict):
    code, title = "booking_not_payable", "This booking cannot be paid in its current status"


class NotTestProvider(Conflict):
    code, title = "not_test_provider", "Only payments of the test provider are confirmed with a card number"


class NotPayPal(Conflict):
    code, title = "not_paypal", "Only PayPal payments are captured after the buyer's approval"


class OrderNotApproved(Conflict):
    code, title = "order_not_approved", "The buyer has not approved this PayPal order yet"


class PaymentNotOpen(Conflict):
    code, title = "payment_not_open", "This payment is not waiting for a payment method"


class NotRefundable(Conflict):
    code, title = "not_refundable", "Only a succeeded payment can be refunded"


class RefundTooLarge(ValidationFailed):
    code, title = "refund_exceeds_captured", "The refund exceeds what is left of the captured amount"


class CurrencyMismatch(ValidationFailed):
    code, title = "currency_mismatch", "The refund's currency is not the payment's"


class StaffOnly(Problem):
    status, code, title = 403, "forbidden", "Staff of the payment's tenant only"


class ProviderNotConfigured(Conflict):
    code, title = "provider_not_configured", "The payment's provider is no longer configured for this tenant"


class WebhookSignatureInvalid(Problem):
    status, code, title = 400, "invalid_signature", "The webhook signature does not verify"


class WebhookMalformed(Problem):
    status, code, title = 400, "malformed_webhook", "The webhook body is not an event we can read"


class AuthenticationLinkInvalid(Unauthorized):
    code, title = "invalid_token", "This authentication link is not valid"
