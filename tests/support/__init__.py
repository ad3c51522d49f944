"""What tests share: the Api client, databases per test, offering payloads, problem assertions, polling.

tests/conftest.py turns these into fixtures (`backend`, `settings`, `make_api`, `api`, `clock`) and
re-exports the names tests already import from it (`Api`, `OFFERING_EXAMPLES`, `eventually`, ...).
"""
