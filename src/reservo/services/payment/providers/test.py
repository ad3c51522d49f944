"""The embedded `test` provider: Stripe's test card numbers, no network; demos and browser tests run offline.

It keeps no state of its own: the payment row is the intent. `4000002500003155` asks the customer to
authenticate on a local page (api.py, /payments/{id}/authenticate) that approves or refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from reservo.services.payment.providers.base import Intent, Order, RefundResult

SUCCEEDS = {"4242424242424242": "visa", "5555555555554444": "mastercard"}
DECLINES = {
    "4000000000000002": ("card_declined", "Your card was declined."),
    "4000000000009995": ("card_declined", "Your card has insufficient funds."),
    "4000000000000069": ("expired_card", "Your card has expired."),
    "4000000000000127": ("incorrect_cvc", "Your card's security code is incorrect."),
    "4000000000000119": ("processing_error", "An error occurred while processing your card."),
}
AUTHENTICATES = {"4000002500003155", "4000000000003220"}


@dataclass(frozen=True, slots=True)
class CardOutcome:
    status: str  # succeeded | failed | requires_action
    method: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None


def card_outcome(number: str) -> CardOutcome:
    if number in SUCCEEDS:
        return CardOutcome("succeeded", f"{SUCCEEDS[number]} •••• {number[-4:]}")
    if number in DECLINES:
        code, message = DECLINES[number]
        return CardOutcome("failed", failure_code=code, failure_message=message)
    if number in AUTHENTICATES:
        return CardOutcome("requires_action", f"visa •••• {number[-4:]}")
    if not _luhn(number):
        return CardOutcome(
            "failed", failure_code="incorrect_number", failure_message="The card number is wrong."
        )
    return CardOutcome("succeeded", f"card •••• {number[-4:]}")


def _luhn(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


class TestProvider:
    name = "test"

    async def create(self, order: Order, idempotency_key: str) -> Intent:
        return Intent(reference=f"test_{order.payment_id.hex}", status="requires_payment_method")

    async def retrieve(self, reference: str) -> Intent:
        return Intent(reference=reference, status="processing")

    async def capture(self, reference: str, idempotency_key: str) -> Intent:
        return await self.retrieve(reference)

    async def refund(
        self, intent: Intent, amount: int, currency: str, idempotency_key: str, reason: str | None
    ) -> RefundResult:
        return RefundResult(reference=f"test_re_{idempotency_key}", status="succeeded")
