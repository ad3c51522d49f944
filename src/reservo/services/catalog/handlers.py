"""Events catalog consumes: the tenant replica only."""

from reservo.platform.tenancy import TENANT_HANDLERS

HANDLERS = dict(TENANT_HANDLERS)
