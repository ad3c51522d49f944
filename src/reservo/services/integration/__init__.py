"""The integration service: per-tenant TikTok Events API settings, forwarding and the delivery log."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.integration.api import router
from reservo.services.integration.handlers import HANDLERS
from reservo.services.integration.models import Base
from reservo.services.integration.service import DELIVER
from reservo.services.integration.settings import IntegrationSettings

spec = ServiceSpec(
    name="integration",
    settings=IntegrationSettings,
    port=8088,
    metadata=Base.metadata,
    routers=(router,),
    handlers=HANDLERS,
    jobs=(DELIVER,),
    migrations=files(__name__) / "migrations" / "versions",
    description="per-tenant TikTok Events API settings, forwarding with retries and the delivery log",
)
