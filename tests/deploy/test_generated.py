"""Every committed artefact that lists the services is what `reservo generate` writes from the
registry (services/__init__.py + routes.toml). Event schemas and api-specs: tests/platform/test_contracts.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
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


def test_compose_gateway_serves_the_built_web_app_with_the_client_route_fallback() -> None:
    """Distributed shape (D13-9): compose mounts frontend/dist into the gateway, and the generated nginx
    config answers `/`, `/t/{tenant}` and every other client route from it (index.html as fallback),
    while unknown API paths stay problem+json. What nginx does with such a config is shown by a real
    nginx in tests/distributed/test_gateway.py; here: the committed files point at the same folder."""
    compose = yaml.safe_load((ROOT / "deploy/docker-compose.yml").read_text())
    mounts = dict(v.rsplit(":", 1)[0].split(":", 1) for v in compose["services"]["gateway"]["volumes"])
    assert mounts["../frontend/dist"] == generate.COMPOSE_WEBAPP
    assert (ROOT / "deploy/../frontend/dist").resolve() == (ROOT / "frontend/dist").resolve()
    conf = (ROOT / "deploy/gateway/nginx.conf").read_text()
    locations = {
        m.group(1): m.group(2) for m in re.finditer(r"^    location (\S+) \{(.*)\}$", conf, re.MULTILINE)
    }
    root = f"root {generate.COMPOSE_WEBAPP};"
    assert root in locations["/"] and "try_files $uri /index.html;" in locations["/"]
    assert root in locations["/assets/"] and "try_files $uri =404;" in locations["/assets/"]
    assert "route_not_found" in locations["/api/"] and "root" not in locations["/api/"]
    # No service's regex location claims a storefront path: `/t/demo` falls through to `location /`.
    service_regexes = [re.compile(k.strip('"')) for k in re.findall(r'location ~ ("[^"]+")', conf)]
    assert service_regexes and not any(r.search("/t/demo") or r.search("/") for r in service_regexes)
