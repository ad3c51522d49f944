"""The integration service: per-tenant TikTok Events API settings and the delivery log.

It exposes only its health until its issue lands.
"""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.integration.models import Base

spec = ServiceSpec(
    name="integration",
    port=8088,
    metadata=Base.metadata,
    handlers=TENANT_HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="per-tenant TikTok Events API settings and the delivery log",
)
