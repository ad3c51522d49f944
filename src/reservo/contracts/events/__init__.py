"""Event payloads, one module per producing service. Importing this registers them all."""

from reservo.contracts.events import booking, catalog, user

__all__ = ["booking", "catalog", "user"]
