"""The location service: locations with address, Google place id and coordinates; geocoding cache.

It exposes only its health until its issue lands.
"""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.location.models import Base

spec = ServiceSpec(
    name="location",
    port=8086,
    metadata=Base.metadata,
    handlers=TENANT_HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="locations with address, Google place id and coordinates; geocoding cache",
)
