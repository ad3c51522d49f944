"""The user service: accounts, sessions, social sign-in, tenants and memberships; JWT issuing and JWKS."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.user.admin_api import admin, profile
from reservo.services.user.api import auth, router, wellknown
from reservo.services.user.jobs import JOBS
from reservo.services.user.models import Base
from reservo.services.user.settings import UserSettings
from reservo.services.user.social.api import social

spec = ServiceSpec(
    name="user",
    port=8082,
    metadata=Base.metadata,
    routers=(auth, profile, social, router, wellknown, admin),
    jobs=JOBS,
    migrations=files(__name__) / "migrations" / "versions",
    settings=UserSettings,
    description="users, sessions, tenants, memberships; JWT issuing and JWKS",
)
