"""Events catalog consumes: tenants, and locations (what offering answers show of them)."""

from reservo.platform.events.consumer import Handler
from reservo.platform.tenancy import TENANT_HANDLERS
from reservo.services.catalog.places import on_location_changed

HANDLERS: dict[str, Handler] = {
    **TENANT_HANDLERS,
    "location.location.created": on_location_changed,
    "location.location.updated": on_location_changed,
    "location.location.deleted": on_location_changed,
}
