"""Stripe's documented test cards that decline (reference/integrations.md §1.7): number -> (decline code, message)."""

DECLINES = {
    "4000000000000002": ("generic_decline", "Your card was declined."),
    "4000000000009995": ("insufficient_funds", "Your card has insufficient funds."),
}

# Stripe's documented test cards that ask the buyer to authenticate on-session (3-D Secure, §1.7): the
# intent goes to `requires_action` with `next_action.type == "use_stripe_sdk"`; Stripe.js shows the
# issuer's challenge, and the payment succeeds only when the buyer completes it.
AUTHENTICATE = {"4000002500003155", "4000002760003184", "4000000000003220"}
