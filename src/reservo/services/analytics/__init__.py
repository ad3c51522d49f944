"""The analytics service: browser and server events counted into per-tenant daily figures."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.analytics.api import router
from reservo.services.analytics.handlers import HANDLERS
from reservo.services.analytics.jobs import PURGE
from reservo.services.analytics.models import Base
from reservo.services.analytics.settings import AnalyticsSettings

spec = ServiceSpec(
    name="analytics",
    settings=AnalyticsSettings,
    port=8087,
    metadata=Base.metadata,
    routers=(router,),
    handlers=HANDLERS,
    jobs=(PURGE,),
    migrations=files(__name__) / "migrations" / "versions",
    description="browser and server events counted into per-tenant daily funnels, revenue and occupancy",
)
