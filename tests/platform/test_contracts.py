"""The committed contracts (event schemas, OpenAPI documents) match the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from reservo.contracts.export import event_schemas
from reservo.openapi import service_specs

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("folder", "build"), [("events/schemas", event_schemas), ("api-specs", service_specs)]
)
def test_committed_contracts_are_current(folder: str, build) -> None:
    expected = build()
    committed = {p.name: p.read_text() for p in (ROOT / folder).glob("*.json")}
    stale = sorted(
        name for name in expected.keys() | committed.keys() if expected.get(name) != committed.get(name)
    )
    assert stale == [], f"run `reservo export-contracts`: {stale} differ in {folder}/"
