"""The catalog service: offerings (products, appointments, events) and, later, schedules and resources."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.catalog.api import discover_router, router
from reservo.services.catalog.handlers import HANDLERS
from reservo.services.catalog.models import Base

spec = ServiceSpec(
    name="catalog",
    port=8083,
    metadata=Base.metadata,
    routers=(router, discover_router),
    handlers=HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="offerings, categories, variants, prices, schedules, resources",
)
