"""/healthz, /readyz, /metrics and the admin view of dead letters: installed in every app."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import select

from reservo.platform.auth.deps import Anyone, PlatformAdmin
from reservo.platform.http.pagination import Page, PageQuery, encode_cursor
from reservo.platform.http.problems import NotFound, problem_responses
from reservo.platform.service import ServiceContext

router = APIRouter()


class DeadLetterRead(BaseModel):
    id: uuid.UUID
    consumer: str
    event_id: uuid.UUID
    type: str
    error: str
    attempts: int
    created_at: datetime
    updated_at: datetime
    replayed_at: datetime | None
    envelope: dict[str, Any]


class ServiceNotHere(NotFound):
    code, title = "service_not_found", "No such service in this process"


class DeadLetterNotFound(NotFound):
    code, title = "dead_letter_not_found", "No such dead letter"


class ReplayRead(BaseModel):
    id: uuid.UUID
    outcome: str  # applied | duplicate | already_replayed | failed (dead-lettered again)


def _context(request: Request, service: str) -> ServiceContext:
    ctx: ServiceContext | None = request.app.state.runtime.contexts.get(service)
    if ctx is None:
        raise ServiceNotHere(f"Service '{service}' does not run in this process")
    return ctx


@router.get("/healthz", tags=["ops"])
async def healthz(_: Anyone) -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", tags=["ops"])
async def readyz(request: Request, _: Anyone) -> JSONResponse:
    status, body = await request.app.state.runtime.readiness()
    return JSONResponse(body, status_code=status)


@router.get("/metrics", tags=["ops"], response_class=Response)
async def metrics(_: Anyone) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get(
    "/api/v1/admin/dead-letters/{service}",
    tags=["admin"],
    responses=problem_responses(ServiceNotHere),
)
async def list_dead_letters(
    request: Request,
    service: str,
    _: PlatformAdmin,
    page: PageQuery,
    include_replayed: bool = False,
) -> Page[DeadLetterRead]:
    ctx = _context(request, service)
    dl = ctx.uow.tables.dead_letters
    stmt = select(dl).order_by(dl.c.created_at, dl.c.id).limit(page.limit + 1)
    if not include_replayed:
        stmt = stmt.where(dl.c.replayed_at.is_(None))
    if page.cursor:
        created, last_id = page.cursor
        stmt = stmt.where((dl.c.created_at > created) | ((dl.c.created_at == created) & (dl.c.id > last_id)))
    async with ctx.uow.read() as session:
        rows = (await session.execute(stmt)).mappings().all()
    items = [DeadLetterRead.model_validate(dict(r)) for r in rows[: page.limit]]
    cursor = encode_cursor(items[-1].created_at, items[-1].id) if len(rows) > page.limit else None
    return Page[DeadLetterRead](items=items, next_cursor=cursor)


@router.post(
    "/api/v1/admin/dead-letters/{service}/{dead_letter_id}/replay",
    tags=["admin"],
    responses=problem_responses(ServiceNotHere, DeadLetterNotFound),
)
async def replay_dead_letter(
    request: Request, service: str, dead_letter_id: uuid.UUID, _: PlatformAdmin
) -> ReplayRead:
    """Apply a dead-lettered event once more through the service's consumer, in whichever process
    serves this route (the gateway sends it to the service's own). A failure dead-letters it again."""
    _context(request, service)
    consumer = request.app.state.runtime.consumers.get(service)
    if consumer is None:
        raise DeadLetterNotFound(f"{service} consumes no events")
    try:
        outcome = await consumer.replay(dead_letter_id)
    except LookupError as exc:
        raise DeadLetterNotFound(str(exc)) from exc
    return ReplayRead(id=dead_letter_id, outcome=outcome)
