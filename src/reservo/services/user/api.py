"""HTTP routes of the user service."""

from __future__ import annotations

from fastapi import APIRouter

from reservo.platform.auth.deps import Anyone, SignedIn
from reservo.platform.http.problems import problem_responses
from reservo.platform.tenancy import TenantNotFound
from reservo.services.user.deps import Tenants
from reservo.services.user.errors import SlugTaken
from reservo.services.user.schemas import TenantCreate, TenantRead

router = APIRouter(prefix="/api/v1", tags=["tenants"])


@router.post("/tenants", status_code=201, responses=problem_responses(SlugTaken))
async def create_tenant(body: TenantCreate, actor: SignedIn, tenants: Tenants) -> TenantRead:
    return TenantRead.model_validate(await tenants.create(actor, body))


@router.get("/tenants/{tenant}", responses=problem_responses(TenantNotFound))
async def get_tenant(tenant: str, _: Anyone, tenants: Tenants) -> TenantRead:
    return TenantRead.model_validate(await tenants.get(tenant))
