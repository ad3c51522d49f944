"""The GitHub Actions workflow passes actionlint (built from the Go module proxy by
`scripts/services.sh install actionlint`, cached outside the repository) and runs what .ci/run runs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def test_the_workflow_passes_actionlint() -> None:
    tool = subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), "tool", "actionlint"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(tool).is_file():
        if IN_CI:
            pytest.fail(f"actionlint missing at {tool}: scripts/services.sh install actionlint")
        pytest.skip("actionlint missing: scripts/services.sh install actionlint")
    done = subprocess.run([tool, str(WORKFLOW)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_runs_ci_builds_the_image_renders_the_chart_and_publishes_on_tags() -> None:
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    runs = [step.get("run", "") for job in jobs.values() for step in job["steps"]]
    assert any(".ci/run" in r for r in runs)
    assert any("lint --strict deploy/helm/reservo" in r for r in runs)
    build = next(
        s for s in jobs["image"]["steps"] if s.get("uses", "").startswith("docker/build-push-action")
    )
    assert build["with"]["file"] == "deploy/Dockerfile"
    assert build["with"]["push"] == "${{ startsWith(github.ref, 'refs/tags/v') }}"
