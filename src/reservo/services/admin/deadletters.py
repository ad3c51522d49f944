"""One view of every service's dead letters (issue 14).

Each service lists its own at `/api/v1/admin/dead-letters/<service>` and replays one at
`.../<service>/<id>/replay` (platform/http/health.py). Admin asks every service of the route table
for its list through the platform's owner client: in the all-in-one shape an in-process call into
the same app, in the distributed shape HTTP to `service_url_for` (RESERVO_<SERVICE>_URL). The
admin's own token goes along, so each service checks the role itself. A service that does not
answer is shown as unavailable; the others still are.
"""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from reservo.platform.http.problems import DependencyUnavailable
from reservo.platform.routing import route_table
from reservo.platform.service import ServiceContext
from reservo.services.admin.schemas import ServiceDeadLetters


def services() -> list[str]:
    return sorted({o.service for o in route_table()})


async def _one(ctx: ServiceContext, service: str, authorization: str, limit: int) -> ServiceDeadLetters:
    if ctx.owners is None:
        return ServiceDeadLetters(service=service, available=False, error="no owner client")
    path = f"/api/v1/admin/dead-letters/{quote(service)}?limit={limit}"
    try:
        found = await ctx.owners.get_json(service, path, headers={"Authorization": authorization})
    except DependencyUnavailable as exc:
        return ServiceDeadLetters(service=service, available=False, error=exc.detail)
    if found is None:
        return ServiceDeadLetters(service=service, available=False, error="not found")
    items = list(found.get("items", []))
    return ServiceDeadLetters(
        service=service, available=True, items=items, more=found.get("next_cursor") is not None
    )


async def all_dead_letters(ctx: ServiceContext, authorization: str, limit: int) -> list[ServiceDeadLetters]:
    return list(await asyncio.gather(*(_one(ctx, s, authorization, limit) for s in services())))
