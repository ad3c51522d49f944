"""Gateway configs are generated from routes.toml: nginx accepts ours and routes by longest prefix,
and the committed deploy/ copies have not drifted from the generator."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from reservo.platform.gateway import GatewayOptions, nginx, path_regex, render
from reservo.platform.routing import owner_of, route_table
from reservo.services import NAMES

ROOT = Path(__file__).resolve().parents[2]


def test_path_regexes_match_exactly_what_the_route_table_owns() -> None:
    for route in route_table():
        sample = re.sub(r"\{[^}]+\}", "x1", route.prefix)
        assert re.match(path_regex(route.prefix), sample + "/more")
        assert not re.match(path_regex(route.prefix), sample + "suffix")
    # Longest prefix first, as in-process routing decides.
    first = {}
    for route in route_table():
        sample = re.sub(r"\{[^}]+\}", "x1", route.prefix)
        first.setdefault(sample, next(r for r in route_table() if re.match(path_regex(r.prefix), sample)))
    for sample, route in first.items():
        owner = owner_of(sample)
        assert owner is not None and owner.service == route.service, sample


def test_nginx_accepts_the_generated_config(nginx_bin: str) -> None:
    run = tempfile.mkdtemp(prefix="reservo-nginx-test-")
    config = Path(run) / "nginx.conf"
    config.write_text(nginx(GatewayOptions(listen="127.0.0.1:1", upstream="127.0.0.1:{port}", run_dir=run)))
    done = subprocess.run(
        [
            nginx_bin,
            "-t",
            "-e",
            f"{run}/error.log",
            "-p",
            run,
            "-c",
            str(config),
        ],
        capture_output=True,
        timeout=30,
    )
    shutil.rmtree(run, ignore_errors=True)
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.parametrize(
    ("fmt", "path", "options"),
    [
        ("nginx", "deploy/gateway/nginx.conf", GatewayOptions(listen="0.0.0.0:8000")),
        ("traefik", "deploy/gateway/traefik.yml", GatewayOptions()),
        ("ingress", "deploy/k8s/ingress.yaml", GatewayOptions(host="reservo.example.com")),
        ("helm", "deploy/helm/reservo/files/routes.yaml", GatewayOptions()),
    ],
)
def test_committed_gateway_configs_match_the_generator(fmt: str, path: str, options: GatewayOptions) -> None:
    assert (ROOT / path).read_text() == render(fmt, options), (
        f"regenerate {path} with `reservo gateway-config`"
    )


def test_compose_runs_every_service_and_its_worker_on_its_route_table_port() -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    services = compose["services"]
    ports = {r.service: r.port for r in route_table()}
    for name in NAMES:
        assert services[name]["command"][:2] == ["serve", name]
        assert services[name]["command"][-1] == str(ports[name])
        assert services[f"{name}-worker"]["command"] == ["worker", name]
        assert services[name]["environment"]["RESERVO_BUS"] == "kafka"
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert set(services["gateway"]["depends_on"]) == set(NAMES)


def test_the_helm_chart_takes_every_service_from_the_route_table() -> None:
    chart = ROOT / "deploy" / "helm" / "reservo"
    routes = yaml.safe_load((chart / "files" / "routes.yaml").read_text())
    assert set(routes["services"]) == set(NAMES)
    assert yaml.safe_load((chart / "Chart.yaml").read_text())["apiVersion"] == "v2"
    assert yaml.safe_load((chart / "values.yaml").read_text())["env"]["RESERVO_BUS"] == "kafka"
