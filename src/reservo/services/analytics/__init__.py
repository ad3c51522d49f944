"""The analytics service: tracked events, daily aggregates and funnels.

It exposes only its health until its issue lands.
"""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.analytics.models import Base

spec = ServiceSpec(
    name="analytics",
    port=8087,
    metadata=Base.metadata,
    handlers=TENANT_HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="tracked events, daily aggregates and funnels",
)
