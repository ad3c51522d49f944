"""The Helm chart renders, lints, passes the Kubernetes schemas (strict, offline: the schemas shipped in
the kubernetes-validate package) and would start: the user service gets the signing-key Secret, every
other service the JWKS URL, email goes through SMTP, pods run as the image's non-root user.
`helm` is built from the Go module proxy by `scripts/services.sh install helm` (cached outside the repo)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from reservo.services import NAMES
from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "helm" / "reservo"
KUBERNETES = "1.33.0"


@pytest.fixture(scope="module")
def helm() -> str:
    path = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), "tool", "helm"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if not Path(path).is_file():
        if IN_CI:
            pytest.fail(f"helm missing at {path}: scripts/services.sh install helm")
        pytest.skip("helm missing: scripts/services.sh install helm")
    return path


def render(helm: str, *sets: str) -> list[dict[str, Any]]:
    args = [a for s in sets for a in ("--set", s)]
    done = subprocess.run(
        [helm, "template", "r", str(CHART), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return [d for d in yaml.safe_load_all(done.stdout) if d]


def test_helm_lint_passes(helm: str) -> None:
    done = subprocess.run([helm, "lint", "--strict", str(CHART)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_rendered_manifest_passes_the_kubernetes_schema(helm: str) -> None:
    docs = render(helm)
    assert len(docs) > 40
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES, strict=True)


def _containers(docs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    deployment = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == name)
    return list(deployment["spec"]["template"]["spec"]["containers"])


def test_the_user_service_signs_with_the_secret_and_the_others_verify_with_its_jwks(helm: str) -> None:
    docs = render(helm)
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    assert config["RESERVO_ENVIRONMENT"] == "production"
    for deployment in ("user", "user-worker"):
        pod = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == deployment)
        spec = pod["spec"]["template"]["spec"]
        assert spec["volumes"][0]["secret"]["secretName"] == "reservo-signing-keys"
        (container,) = spec["containers"]
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["RESERVO_JWT_KEYS_DIR"] == container["volumeMounts"][0]["mountPath"]
    for service in set(NAMES) - {"user"}:
        for name in (service, f"{service}-worker"):
            (container,) = _containers(docs, name)
            env = {e["name"]: e.get("value") for e in container["env"]}
            assert env == {"RESERVO_JWKS_URL": "http://user:8082/.well-known/jwks.json"}, name
            assert "volumeMounts" not in container
    # Worker probes reach the health port from outside the pod.
    (worker,) = _containers(docs, "booking-worker")
    assert worker["args"][2:4] == ["--health-host", "0.0.0.0"]
    # Every pod runs as the image's non-root user.
    for doc in docs:
        if doc["kind"] == "Deployment":
            assert doc["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_email_goes_through_smtp_and_the_chart_refuses_to_render_without_it(helm: str) -> None:
    config = next(d for d in render(helm, "mail.smtp.host=mail.internal") if d["kind"] == "ConfigMap")["data"]
    assert (config["RESERVO_NOTIFICATION_SMTP_HOST"], config["RESERVO_NOTIFICATION_SMTP_PORT"]) == (
        "mail.internal",
        "587",
    )
    done = subprocess.run(
        [helm, "template", "r", str(CHART), "--set", "mail.smtp.host="],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "mail.smtp.host" in done.stderr


def test_the_ingress_sends_readiness_docs_and_the_web_app_to_the_gateway_companion(helm: str) -> None:
    docs = render(helm)
    ingress = next(d for d in docs if d["kind"] == "Ingress")
    listed = [
        (p["path"], p["backend"]["service"]["name"]) for p in ingress["spec"]["rules"][0]["http"]["paths"]
    ]
    paths = dict(listed)
    assert paths["^/readyz$"] == paths["^/openapi.json$"] == paths["^/docs$"] == "gateway-meta"
    assert paths["^/web-config.json$"] == "gateway-meta"
    # The web app: every other path, tried last (ingress-nginx sorts regex paths longest first).
    assert paths["^/"] == "gateway-meta"
    assert min(len(path) for path, _ in listed) == len("^/")
    (meta,) = _containers(docs, "gateway-meta")
    assert {a.split("=")[1] for a in meta["args"] if a.startswith("--service-upstream=")} == set(NAMES)


def test_vault_is_configured_for_every_process_only_when_an_address_is_given(helm: str) -> None:
    def env(*sets: str) -> dict[str, str]:
        maps = [
            d for d in render(helm, *sets) if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "r-env"
        ]
        return dict(maps[0]["data"])

    assert not any(key.startswith("RESERVO_VAULT_") for key in env())
    configured = env("vault.address=https://vault.example:8200", "vault.path=prod/reservo")
    assert configured["RESERVO_VAULT_ADDR"] == "https://vault.example:8200"
    assert configured["RESERVO_VAULT_K8S_ROLE"] == "reservo"
    assert configured["RESERVO_VAULT_PATH"] == "prod/reservo"
