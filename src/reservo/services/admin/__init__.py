"""The admin service: bookings across tenants, platform statistics, CSV export, every service's dead
letters (issue 14). Tenants and accounts are administered where they live, in the user service."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.admin.api import router
from reservo.services.admin.handlers import HANDLERS
from reservo.services.admin.models import Base

spec = ServiceSpec(
    name="admin",
    port=8089,
    metadata=Base.metadata,
    routers=(router,),
    handlers=HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="platform reports: bookings across tenants, statistics, dead letters",
)
