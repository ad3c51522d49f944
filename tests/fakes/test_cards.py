"""Stripe's documented test cards that decline (reference/integrations.md §1.7): number -> (decline code, message)."""

DECLINES = {
    "4000000000000002": ("generic_decline", "Your card was declined."),
    "4000000000009995": ("insufficient_funds", "Your card has insufficient funds."),
}
