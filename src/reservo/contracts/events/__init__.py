"""Event payloads, one module per producing service. Importing this registers them all."""

from reservo.contracts.events import analytics, booking, catalog, notification, payment, receipt, user

__all__ = ["analytics", "booking", "catalog", "notification", "payment", "receipt", "user"]
