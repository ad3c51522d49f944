"""The receipt service: receipts and credit notes with per-tenant gapless numbers, and their PDF files."""

from importlib.resources import files

from reservo.platform.service import ServiceSpec
from reservo.services.receipt.api import router
from reservo.services.receipt.handlers import HANDLERS
from reservo.services.receipt.models import Base
from reservo.services.receipt.service import RENDER

spec = ServiceSpec(
    name="receipt",
    port=8084,
    metadata=Base.metadata,
    routers=(router,),
    handlers=HANDLERS,
    jobs=(RENDER,),
    migrations=files(__name__) / "migrations" / "versions",
    description="receipts with per-tenant gapless numbers and their PDF files",
)
