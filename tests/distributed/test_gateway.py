"""Gateway configs are generated from routes.toml: nginx accepts ours and routes by longest prefix,
and the committed deploy/ copies have not drifted from the generator."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from reservo.platform.gateway import GatewayOptions, nginx, path_regex, render
from reservo.platform.routing import owner_of, route_table
from reservo.services import NAMES
from tests.distributed.procs import Cluster, Proc, cluster
from tests.support.problems import assert_problem

ROOT = Path(__file__).resolve().parents[2]


def test_path_regexes_match_exactly_what_the_route_table_owns() -> None:
    for route in route_table():
        sample = re.sub(r"\{[^}]+\}", "x1", route.prefix)
        assert re.match(path_regex(route.prefix), sample + "/more")
        assert not re.match(path_regex(route.prefix), sample + "suffix")
    # Longest prefix first, as in-process routing decides.
    first: dict[str, Any] = {}
    for route in route_table():
        sample = re.sub(r"\{[^}]+\}", "x1", route.prefix)
        first.setdefault(sample, next(r for r in route_table() if re.match(path_regex(r.prefix), sample)))
    for sample, route in first.items():
        owner = owner_of(sample)
        assert owner is not None and owner.service == route.service, sample


def test_nginx_accepts_the_generated_config(nginx_bin: str) -> None:
    run = tempfile.mkdtemp(prefix="reservo-nginx-test-")
    config = Path(run) / "nginx.conf"
    config.write_text(
        nginx(
            GatewayOptions(listen="127.0.0.1:1", upstream="127.0.0.1:{port}", run_dir=run, meta="127.0.0.1:9")
        )
    )
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


# The committed gateway configs are checked for drift with every other generated artefact:
# tests/deploy/test_generated.py.


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
    assert set(services["gateway"]["depends_on"]) == {*NAMES, "gateway-meta"}
    meta = [
        a.split("=", 1)[1] for a in services["gateway-meta"]["command"] if a.startswith("--service-upstream=")
    ]
    assert sorted(meta) == sorted(f"{name}={name}:{ports[name]}" for name in NAMES)
    assert {"prometheus", "grafana", "jaeger"} <= set(services)


def test_the_helm_chart_takes_every_service_from_the_route_table() -> None:
    chart = ROOT / "deploy" / "helm" / "reservo"
    routes = yaml.safe_load((chart / "files" / "routes.yaml").read_text())
    assert set(routes["services"]) == set(NAMES)
    assert yaml.safe_load((chart / "Chart.yaml").read_text())["apiVersion"] == "v2"
    assert yaml.safe_load((chart / "values.yaml").read_text())["env"]["RESERVO_BUS"] == "kafka"


# --- the gateway in front of real service processes ------------------------------------------------
@pytest.fixture
def one_service(
    tmp_path: Path, nginx_bin: str, redis_url: str, redis_prefix: str
) -> Iterator[tuple[Cluster, Proc]]:
    """`reservo serve catalog` (SQLite, own data folder, API limit 5/min per client in Redis) and its
    worker-less shape: enough to see what the gateway itself does."""
    env = {
        "RESERVO_DATA_DIR": str(tmp_path / "data"),
        "RESERVO_ENVIRONMENT": "test",
        "RESERVO_LOG_LEVEL": "WARNING",
        "RESERVO_REDIS_URL": redis_url,
        "RESERVO_REDIS_PREFIX": redis_prefix,
        "RESERVO_RATE_LIMIT": "5/60",
        # Client address from the gateway's headers: the old switch and issue 9's CIDR list of proxies.
        "RESERVO_TRUSTED_PROXIES": "127.0.0.1/32",
    }
    with cluster(tmp_path, env) as c:
        c.migrate("catalog")
        yield c, c.serve("catalog")


OFFERINGS = "/api/v1/tenants/acme/offerings"


def _is_problem(response: httpx.Response, status: int, code: str) -> None:
    """A problem, as everywhere, that also carries the gateway's correlation id."""
    assert_problem(response, status, code)
    assert response.headers.get("x-correlation-id")


def test_one_client_rotating_x_forwarded_for_is_still_limited(one_service: tuple[Cluster, Proc]) -> None:
    """The gateway overwrites X-Forwarded-For/X-Real-IP with the address it saw: a client that
    invents a new address per request is one client to the service's limit (5 per minute)."""
    c, catalog = one_service
    gateway = c.gateway({"catalog": catalog}, "--rate=")  # the gateway's own limit off: the app's is tested
    answers = [
        httpx.get(
            gateway.url + OFFERINGS,
            headers={"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"198.51.100.{i}"},
        )
        for i in range(8)
    ]
    statuses = [a.status_code for a in answers]
    assert statuses[:5] == [statuses[0]] * 5 and statuses[0] != 429, statuses
    for limited in answers[5:]:
        _is_problem(limited, 429, "rate_limited")


def test_the_gateway_limits_a_client_with_its_own_problem(one_service: tuple[Cluster, Proc]) -> None:
    c, catalog = one_service
    gateway = c.gateway({"catalog": catalog}, "--rate=1r/m", "--burst=2")
    answers = [
        httpx.get(gateway.url + OFFERINGS, headers={"X-Forwarded-For": f"203.0.113.{i}"}) for i in range(6)
    ]
    # Catalog's own answer passes through: it asks the tenants' owner (user, not running here) about the
    # unknown tenant and says it is unavailable (read-your-writes, D9-1), never the gateway's 429.
    for own in answers[:3]:
        _is_problem(own, 503, "dependency_unavailable")
    _is_problem(answers[-1], 429, "gateway_rate_limited")
    assert answers[-1].headers["retry-after"] == "60"  # one request a minute
    # Probes are never limited.
    assert httpx.get(gateway.url + "/readyz").status_code == 200


def test_gateway_errors_readiness_docs_and_access_log(one_service: tuple[Cluster, Proc]) -> None:
    c, catalog = one_service
    gateway = c.gateway({"catalog": catalog}, "--read-timeout=1s")
    # Readiness reflects the upstreams the gateway was given (here: catalog only).
    ready = httpx.get(gateway.url + "/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["services"]["catalog"]["ready"] is True, ready.text
    # The gateway's own 502 (nothing listens for payment), as a problem with a correlation id.
    _is_problem(httpx.get(gateway.url + "/api/v1/payments/x"), 502, "upstream_unavailable")
    # A stuck service (stopped, its socket still accepting): the gateway's 504 after 1 s, and not ready.
    catalog.send(signal.SIGSTOP)
    try:
        _is_problem(httpx.get(gateway.url + OFFERINGS, timeout=10), 504, "upstream_timeout")
        stuck = httpx.get(gateway.url + "/readyz", timeout=10)
        assert stuck.status_code == 503 and stuck.json()["not_ready"] == ["catalog"], stuck.text
        gauge = httpx.get(gateway.url + "/metrics", timeout=10).text
        assert 'reservo_gateway_upstream_ready{service="catalog"} 0.0' in gauge
    finally:
        catalog.send(signal.SIGCONT)
    assert httpx.get(gateway.url + "/readyz", timeout=10).status_code == 200
    # The service's own answers pass through unchanged, even a 503: catalog's problem (the tenants'
    # owner is not running here), not one the gateway made up.
    own = httpx.get(gateway.url + OFFERINGS, headers={"X-Correlation-ID": "corr-123"})
    assert own.status_code == 503 and own.headers["x-correlation-id"] == "corr-123", own.text
    assert own.json()["code"] == "dependency_unavailable"
    # One API description for the platform (paths from their owners) and a docs page over it.
    spec = httpx.get(gateway.url + "/openapi.json", timeout=10)
    assert spec.status_code == 200 and "/api/v1/tenants/{tenant}/offerings" in spec.json()["paths"]
    assert "/healthz" not in spec.json()["paths"]
    docs = httpx.get(gateway.url + "/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    # JSON access log lines carry the correlation id.
    log_path = next(Path(p) for p in c.scratch) / "access.log"
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    mine = [entry for entry in lines if entry["correlation_id"] == "corr-123"]
    assert (
        mine and mine[0]["status"] == 503 and mine[0]["uri"] == OFFERINGS and mine[0]["service"] == "gateway"
    )
    assert any(entry["status"] == 504 for entry in lines)


def test_merged_openapi_holds_each_path_from_its_owner() -> None:
    from reservo.platform.gatewaymeta import merge

    specs: dict[str, dict[str, Any]] = {
        "booking": {"paths": {"/api/v1/tenants/{tenant}/bookings": {"get": {}}, "/healthz": {"get": {}}}},
        "catalog": {
            "paths": {
                "/api/v1/tenants/{tenant}/offerings": {"get": {}},
                "/api/v1/tenants/{tenant}/bookings": {},
            },
            "components": {"schemas": {"Offering": {"type": "object"}}},
        },
    }
    merged = merge(specs)
    assert merged["paths"] == {
        "/api/v1/tenants/{tenant}/bookings": {"get": {}},
        "/api/v1/tenants/{tenant}/offerings": {"get": {}},
    }
    assert merged["components"]["schemas"] == {"Offering": {"type": "object"}}


def test_the_gateway_serves_the_web_app_beside_the_api(one_service: tuple[Cluster, Proc]) -> None:
    """Distributed shape: nginx answers the built web app at `/` (index.html for client routes,
    hashed assets cached for good), while the API still goes to its services and unknown API paths
    stay problem+json."""
    c, catalog = one_service
    dist = Path(tempfile.mkdtemp(prefix="reservo-webapp-"))  # outside pytest's 0700 folders: nginx reads it
    c.scratch.append(dist)
    (dist / "assets").mkdir()
    (dist / "index.html").write_text('<!doctype html><div id="root"></div><script src="/assets/app-1a2b.js">')
    (dist / "assets" / "app-1a2b.js").write_text("console.log('reservo')")
    (dist / "favicon.svg").write_text("<svg/>")
    for p in (dist, dist / "assets"):
        p.chmod(0o755)
    gateway = c.gateway({"catalog": catalog}, f"--webapp={dist}")

    for client_route in ("/", "/t/acme", "/me/bookings", "/dashboard/acme/bookings"):
        page = httpx.get(gateway.url + client_route)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), client_route
        assert '<div id="root">' in page.text and page.headers["cache-control"] == "no-cache"
        assert page.headers.get("x-correlation-id")
        assert "https://js.stripe.com" in page.headers["content-security-policy"].split("script-src")[1]
    # The app's runtime config (where it loads Stripe.js, PayPal's SDK, Maps), as the all-in-one answers it.
    config = httpx.get(gateway.url + "/web-config.json")
    assert config.status_code == 200 and config.json()["stripe_js_url"] == "https://js.stripe.com/v3/"
    asset = httpx.get(gateway.url + "/assets/app-1a2b.js")
    assert asset.status_code == 200 and asset.text == "console.log('reservo')"
    assert "immutable" in asset.headers["cache-control"]
    assert httpx.get(gateway.url + "/favicon.svg").text == "<svg/>"
    assert httpx.get(gateway.url + "/assets/app-old.js").status_code == 404  # never HTML for a script
    _is_problem(httpx.get(gateway.url + "/api/v1/nothing-here"), 404, "route_not_found")
    # The API is still the services': catalog's own answer (its tenants' owner is not running here).
    own = httpx.get(gateway.url + OFFERINGS)
    assert own.status_code == 503 and own.json()["code"] == "dependency_unavailable", own.text
    assert httpx.get(gateway.url + "/readyz", timeout=10).status_code == 200


def test_traefik_config_has_what_the_nginx_gateway_does() -> None:
    """Parity with nginx (issue 16): the companion's paths, a per-client rate limit on the connecting
    address, the body limit, explicit timeouts, problem+json for the gateway's 502/504 and for paths
    no service owns."""
    options = GatewayOptions(
        rate="30r/m", burst=7, connect_timeout="4s", read_timeout="12s", meta="meta:8090"
    )
    config = yaml.safe_load(render("traefik", options))["http"]
    routers, middlewares, services = config["routers"], config["middlewares"], config["services"]
    meta = routers["gateway-meta"]
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert f"Path(`{path}`)" in meta["rule"]
    service_routers = [r for name, r in routers.items() if not name.startswith("gateway-")]
    assert len(service_routers) == len(route_table())
    assert all(
        meta["priority"] > r["priority"] > routers["gateway-not-found"]["priority"] for r in service_routers
    )
    assert routers["gateway-not-found"]["rule"] == "PathPrefix(`/`)"
    assert all(
        r["middlewares"] == ["gateway-limit", "gateway-body", "gateway-errors"] for r in service_routers
    )
    limit = middlewares["gateway-limit"]["rateLimit"]
    assert (limit["average"], limit["period"], limit["burst"]) == (30, "1m", 7)
    assert limit["sourceCriterion"] == {"ipStrategy": {"depth": 0}}  # never X-Forwarded-For
    assert middlewares["gateway-body"]["buffering"]["maxRequestBodyBytes"] == 2 * 1024 * 1024
    errors = middlewares["gateway-errors"]["errors"]
    assert (errors["status"], errors["service"], errors["query"]) == (
        ["502", "504"],
        "gateway-meta",
        "/problems/{status}",
    )
    assert services["gateway-meta"]["loadBalancer"]["servers"] == [{"url": "http://meta:8090"}]
    timeouts = config["serversTransports"]["gateway-transport"]["forwardingTimeouts"]
    assert (timeouts["dialTimeout"], timeouts["responseHeaderTimeout"]) == ("4s", "12s")
    assert all(
        s["loadBalancer"].get("serversTransport") == "gateway-transport"
        for name, s in services.items()
        if name != "gateway-meta"
    )
    unlimited = yaml.safe_load(render("traefik", GatewayOptions(rate="")))["http"]
    assert "gateway-limit" not in (unlimited.get("middlewares") or {})


async def test_the_companion_answers_the_problems_traefik_asks_for() -> None:
    from reservo.platform.gatewaymeta import create_meta_app

    transport = httpx.ASGITransport(app=create_meta_app({}))
    async with httpx.AsyncClient(transport=transport, base_url="http://meta") as client:
        for status, code in ((502, "upstream_unavailable"), (504, "upstream_timeout")):
            answer = await client.get(f"/problems/{status}")
            assert answer.status_code == status
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] == code
        missing = await client.get("/api/v1/nobody-owns-this")
        assert missing.status_code == 404 and missing.json()["code"] == "route_not_found"
        assert missing.headers["content-type"].startswith("application/problem+json")
