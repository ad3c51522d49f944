"""The receipt service: receipts with per-tenant gapless numbers and their PDF files.

It exposes only its health until its issue lands.
"""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.receipt.models import Base

spec = ServiceSpec(
    name="receipt",
    port=8084,
    metadata=Base.metadata,
    handlers=TENANT_HANDLERS,
    migrations=files(__name__) / "migrations" / "versions",
    description="receipts with per-tenant gapless numbers and their PDF files",
)
