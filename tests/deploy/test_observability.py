"""The Grafana dashboard and the Prometheus alert rules in deploy/observability only use metrics the
processes export, and Prometheus scrapes every API and worker of the route table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from reservo.platform.routing import route_table
from reservo.services import NAMES

ROOT = Path(__file__).resolve().parents[2]
OBS = ROOT / "deploy" / "observability"


def _exported() -> set[str]:
    import prometheus_client

    import reservo.platform.events.kafka
    import reservo.platform.observability  # noqa: F401

    names = {"reservo_gateway_upstream_ready"}  # gateway-meta's own registry
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"), "gauge": ("",)}
    for metric in prometheus_client.REGISTRY.collect():
        names |= {metric.name + suffix for suffix in suffixes.get(metric.type, ("",))}
    return names


def _metrics(expr: str) -> set[str]:
    return set(re.findall(r"\breservo_[a-z_]+", expr))


def test_dashboard_and_alerts_use_only_exported_metrics() -> None:
    exported = _exported()
    dashboard = json.loads((OBS / "grafana" / "dashboards" / "reservo-overview.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    rules = yaml.safe_load((OBS / "alerts.yml").read_text())["groups"][0]["rules"]
    exprs += [r["expr"] for r in rules]
    used = set().union(*map(_metrics, exprs))
    assert used and used <= exported, used - exported
    titles = " ".join(p["title"] for p in dashboard["panels"]).lower()
    for topic in ("requests", "errors", "latency", "lag", "bookings", "payments", "dead letters"):
        assert topic in titles, topic


def test_prometheus_scrapes_every_api_and_worker_on_its_port() -> None:
    config = yaml.safe_load((OBS / "prometheus.yml").read_text())
    targets = {t for job in config["scrape_configs"] for c in job["static_configs"] for t in c["targets"]}
    ports = {r.service: r.port for r in route_table()}
    for name in NAMES:
        assert f"{name}:{ports[name]}" in targets and f"{name}-worker:9000" in targets
