"""The location service: locations with address, Google place id and coordinates; geocoding cache."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.location.api import router
from reservo.services.location.handlers import HANDLERS
from reservo.services.location.models import Base
from reservo.services.location.settings import LocationSettings

spec = ServiceSpec(
    name="location",
    settings=LocationSettings,
    port=8086,
    metadata=Base.metadata,
    routers=(router,),
    handlers=HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="locations with address, Google place id and coordinates; geocoding cache",
)
