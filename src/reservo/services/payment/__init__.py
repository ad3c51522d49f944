"""The payment service: payments, refunds and their audit trail; Stripe, PayPal and the test provider.

It exposes only its health until its issue lands.
"""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.payment.models import Base

spec = ServiceSpec(
    name="payment",
    port=8081,
    metadata=Base.metadata,
    handlers=TENANT_HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="payments, refunds and their audit trail; Stripe, PayPal and the test provider",
)
