"""Per-request cost rules of the HTTP layer (issue 15)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from reservo.app import create_app
from reservo.platform.config import Settings
from reservo.services import REGISTRY
from tests.routes import api_routes


def _calls(dependant: Any) -> list[Any]:
    out = [dependant.call] if dependant.call else []
    for sub in dependant.dependencies:
        out += _calls(sub)
    return out


def _blocking(call: Any) -> bool:
    return not (inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(type(call).__call__))


def test_no_route_hands_a_request_to_the_threadpool(tmp_path: Path) -> None:
    """FastAPI runs a plain `def` endpoint or dependency in its threadpool: a thread hand-off per
    dependency per request (~0.1 ms of CPU each). What does no I/O is `async def`."""
    app = create_app(REGISTRY, Settings(data_dir=tmp_path))
    blocking = sorted(
        {
            f"{call.__module__}.{call.__qualname__} ({route.path})"
            for route in api_routes(app)
            for call in _calls(route.dependant)
            if _blocking(call)
        }
    )
    assert blocking == []
