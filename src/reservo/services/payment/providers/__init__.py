"""Providers chosen per tenant from an explicit table (C11)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reservo.services.payment.providers.base import PaymentProvider
from reservo.services.payment.providers.paypal import PayPalProvider
from reservo.services.payment.providers.stripe import StripeProvider
from reservo.services.payment.providers.test import TestProvider
from reservo.services.payment.settings import PaymentSettings

ProviderFactory = Callable[[dict[str, Any], PaymentSettings, str], PaymentProvider]


def _test(secrets: dict[str, Any], settings: PaymentSettings, public_url: str) -> PaymentProvider:
    return TestProvider()


def _stripe(secrets: dict[str, Any], settings: PaymentSettings, public_url: str) -> PaymentProvider:
    return StripeProvider(secrets["secret_key"], settings.stripe_api_base, settings.provider_timeout_seconds)


def _paypal(secrets: dict[str, Any], settings: PaymentSettings, public_url: str) -> PaymentProvider:
    return PayPalProvider(
        secrets["client_id"],
        secrets["client_secret"],
        settings.paypal_api_base,
        settings.provider_timeout_seconds,
        settings.return_url or f"{public_url.rstrip('/')}/",
    )


PROVIDERS: Mapping[str, ProviderFactory] = {"test": _test, "stripe": _stripe, "paypal": _paypal}
