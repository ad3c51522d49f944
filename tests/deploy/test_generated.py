"""Every committed artefact that lists the services is what `reservo generate` writes from the
registry (services/__init__.py + routes.toml). Event schemas and api-specs: tests/platform/test_contracts.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reservo import generate
from reservo.cli import cli
from reservo.generate import SECTIONS, MissingMarker, RegistryMismatch, artefacts, fill, services
from reservo.platform.routing import RouteOwner, route_table
from reservo.services import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = artefacts(ROOT)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_committed_artefact_is_current(path: str) -> None:
    assert (ROOT / path).read_text() == EXPECTED[path], f"{path} is stale: run `make generate`"


def test_every_registered_service_appears_in_every_artefact() -> None:
    # Not a copy of the generator: the names are looked for in the committed text.
    for spec in REGISTRY:
        missing = [p for p, text in EXPECTED.items() if p != "events/topics.md" and spec.name not in text]
        assert missing == [], f"{spec.name} missing from {missing}"
        assert f"CREATE DATABASE reservo_{spec.name};" in (ROOT / "deploy/postgres/init.sql").read_text()
        assert f'"reservo.services.{spec.name}"' in (ROOT / "pyproject.toml").read_text()


def test_registry_and_route_table_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    assert [spec.name for spec, _ in services()] == [s.name for s in REGISTRY]
    extra = RouteOwner("billing", 8099, "/api/v1/billing")  # in routes.toml, not in the registry
    monkeypatch.setattr(generate, "route_table", lambda: (*route_table(), extra))
    with pytest.raises(RegistryMismatch, match="billing"):
        services()
    moved = tuple(RouteOwner(o.service, o.port + 1, o.prefix) for o in route_table())
    monkeypatch.setattr(generate, "route_table", lambda: moved)
    with pytest.raises(RegistryMismatch, match="port"):
        services()


def test_hand_written_parts_outside_the_markers_are_kept() -> None:
    text = "keep me\n# reservo generate: begin x\nold\n# reservo generate: end x\nand me\n"
    assert (
        fill(text, "x", "new\n")
        == "keep me\n# reservo generate: begin x\nnew\n# reservo generate: end x\nand me\n"
    )
    with pytest.raises(MissingMarker):
        fill("no markers\n", "x", "new\n")
    assert set(SECTIONS) <= set(EXPECTED)


def test_check_names_a_stale_file_and_generate_repairs_it(tmp_path: Path) -> None:
    for path in EXPECTED:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp_path / path)
    compose = tmp_path / "deploy/docker-compose.yml"
    compose.write_text(compose.read_text().replace('command: ["worker", "payment"]', 'command: ["worker"]'))
    runner = CliRunner()
    args = ["generate", "--root", str(tmp_path), "--no-contracts"]
    checked = runner.invoke(cli, [*args, "--check"])
    assert checked.exit_code == 1
    assert "deploy/docker-compose.yml" in checked.output
    assert "deploy/postgres/init.sql" not in checked.output
    assert runner.invoke(cli, args).exit_code == 0
    assert compose.read_text() == EXPECTED["deploy/docker-compose.yml"]
    assert runner.invoke(cli, [*args, "--check"]).exit_code == 0
