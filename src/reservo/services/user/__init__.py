"""The user service: tenants and memberships now; accounts, tokens and social sign-in next."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.user.api import router
from reservo.services.user.models import Base

spec = ServiceSpec(
    name="user",
    port=8082,
    metadata=Base.metadata,
    routers=(router,),
    migrations=files(__name__) / "migrations" / "versions",
    description="users, sessions, tenants, memberships; JWT issuing and JWKS",
)
