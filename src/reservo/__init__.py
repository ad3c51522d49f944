"""Reservo: a multi-tenant booking platform of ten services that run in one process or many."""
