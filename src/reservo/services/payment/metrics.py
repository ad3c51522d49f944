"""Prometheus counters of the payment service (exported on /metrics with the platform's)."""

from prometheus_client import Counter

ATTEMPTS = Counter(
    "reservo_payment_attempts_total", "Payments created (intents asked of a provider)", ["provider"]
)
SUCCEEDED = Counter("reservo_payment_succeeded_total", "Payments that succeeded", ["provider"])
FAILED = Counter("reservo_payment_failed_total", "Payments that failed, by reason", ["provider", "reason"])
REFUNDED = Counter("reservo_payment_refunds_total", "Refunds that succeeded", ["provider"])
WEBHOOKS = Counter(
    "reservo_payment_webhooks_total", "Webhook deliveries, by outcome", ["provider", "outcome"]
)
