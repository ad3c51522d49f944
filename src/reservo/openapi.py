"""Each service's OpenAPI document, as committed in api-specs/ (clients are generated from them)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from reservo.app import create_app
from reservo.contracts.export import to_json
from reservo.platform.config import Settings
from reservo.services import REGISTRY


def service_specs() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder))
        return {f"{spec.name}.json": to_json(create_app([spec], settings).openapi()) for spec in REGISTRY}
