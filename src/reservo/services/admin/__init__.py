"""The admin service: platform reports and user management.

It exposes only its health until its issue lands.
"""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.admin.models import Base

spec = ServiceSpec(
    name="admin",
    port=8089,
    metadata=Base.metadata,
    migrations=files(__name__) / "migrations" / "versions",
    description="platform reports and user management",
)
