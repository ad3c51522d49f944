"""Write the committed contract files: event JSON Schemas and each service's OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

from reservo.platform.events.envelope import EVENT_TYPES


def to_json(document: object) -> str:
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def event_schemas() -> dict[str, str]:
    """File name -> JSON text, for events/schemas/."""
    import reservo.contracts.events  # noqa: F401  (registers every payload)

    types = sorted(EVENT_TYPES.items())
    return {f"{name}.v{m.VERSION}.json": to_json(m.model_json_schema()) for name, m in types}


def write(folder: Path, files: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = folder / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            written.append(path)
    return written
