"""Use cases of the user service; each owns its transaction."""

from reservo.services.user.service.accounts import AccountService
from reservo.services.user.service.tenants import TenantService

__all__ = ["AccountService", "TenantService"]
