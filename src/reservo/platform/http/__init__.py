"""HTTP conventions shared by every service: problems, pagination, idempotency, correlation, health."""
