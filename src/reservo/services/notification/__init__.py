"""The notification service: emails (SMTP or files, plus a development mailbox), SMS and reminders."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.notification.api import router
from reservo.services.notification.handlers import HANDLERS
from reservo.services.notification.jobs import JOBS
from reservo.services.notification.models import Base
from reservo.services.notification.more_handlers import extended
from reservo.services.notification.settings import NotificationSettings

spec = ServiceSpec(
    name="notification",
    port=8085,
    metadata=Base.metadata,
    routers=(router,),
    handlers=extended(HANDLERS),
    jobs=JOBS,
    migrations=files(__name__) / "migrations" / "versions",
    settings=NotificationSettings,
    description="templates, outgoing email/SMS log with status and retries",
)
