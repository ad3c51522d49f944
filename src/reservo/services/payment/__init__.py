"""The payment service: payments, refunds and their audit trail; Stripe, PayPal and the test provider."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.payment.api import router
from reservo.services.payment.handlers import HANDLERS
from reservo.services.payment.jobs import RECONCILE, REFUNDS
from reservo.services.payment.models import Base
from reservo.services.payment.settings import PaymentSettings

spec = ServiceSpec(
    name="payment",
    port=8081,
    metadata=Base.metadata,
    routers=(router,),
    handlers=HANDLERS,
    jobs=(REFUNDS, RECONCILE),
    migrations=files(__name__) / "migrations" / "versions",
    settings=PaymentSettings,
    description="payments, refunds and their audit trail; Stripe, PayPal and the test provider",
)
