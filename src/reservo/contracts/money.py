"""Money as every event carries it: an amount in minor units and its ISO 4217 currency.

(The HTTP APIs answer with platform/schemas.py's `Money`, the same two fields with validation.)"""

from __future__ import annotations

from pydantic import BaseModel


class MoneyPayload(BaseModel):
    amount: int  # minor units
    currency: str  # ISO 4217

    @classmethod
    def of(cls, amount: int, currency: str) -> MoneyPayload:
        return cls(amount=amount, currency=currency)
