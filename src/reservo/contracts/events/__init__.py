"""Event payloads, one module per producing service. Importing this registers them all."""

from reservo.contracts.events import booking, catalog, location, notification, payment, receipt, user

__all__ = ["booking", "catalog", "location", "notification", "payment", "receipt", "user"]
