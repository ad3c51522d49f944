"""The notification service: email (and later SMS) templates and the outgoing log."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.notification.handlers import HANDLERS
from reservo.services.notification.jobs import JOBS
from reservo.services.notification.models import Base

spec = ServiceSpec(
    name="notification",
    port=8085,
    metadata=Base.metadata,
    handlers=HANDLERS,
    jobs=JOBS,
    migrations=files(__name__) / "migrations" / "versions",
    description="templates, outgoing email/SMS log with status and retries",
)
