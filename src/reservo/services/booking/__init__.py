"""The booking service: bookings, holds, capacity and the offering read-model."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.booking.api import router
from reservo.services.booking.handlers import HANDLERS
from reservo.services.booking.lifecycle import EXPIRE_HOLDS
from reservo.services.booking.models import Base
from reservo.services.booking.settings import BookingSettings

spec = ServiceSpec(
    name="booking",
    port=8080,
    metadata=Base.metadata,
    routers=(router,),
    handlers=HANDLERS,
    jobs=(EXPIRE_HOLDS,),
    migrations=files(__name__) / "migrations" / "versions",
    settings=BookingSettings,
    description="bookings, holds, capacity counters, offering read-model, availability",
)
