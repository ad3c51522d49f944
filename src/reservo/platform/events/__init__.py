"""Events: envelope, transactional outbox, relay, idempotent consumers with inbox and dead letters."""
