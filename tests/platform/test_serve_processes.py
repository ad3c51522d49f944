"""How many API processes `reservo serve` runs by default, and when it refuses more than one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reservo.cli import cli, default_api_processes
from reservo.platform.config import Settings
from reservo.services import REGISTRY

PG = "postgresql+asyncpg://reservo@127.0.0.1:1/x_{service}"


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(data_dir=tmp_path, environment="test", **values)  # type: ignore[arg-type]


def test_all_in_one_on_postgresql_with_redis_runs_one_api_process_per_cpu(tmp_path: Path) -> None:
    settings = _settings(tmp_path, database_url=PG, redis_url="redis://127.0.0.1:1/0")
    assert default_api_processes(REGISTRY, settings) == (os.cpu_count() or 1)


@pytest.mark.parametrize(
    "values",
    [
        {},  # SQLite: one writer
        {"database_url": PG},  # no Redis: idempotency keys, revocations and caches live in memory
        {"database_url": PG, "redis_url": "redis://127.0.0.1:1/0", "bus": "kafka"},  # distributed
    ],
)
def test_otherwise_one_process(tmp_path: Path, values: dict[str, object]) -> None:
    assert default_api_processes(REGISTRY, _settings(tmp_path, **values)) == 1


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({}, "SQLite has one writer"),
        ({"RESERVO_DATABASE_URL": PG}, "set RESERVO_REDIS_URL"),
    ],
)
def test_more_processes_than_can_share_state_are_refused(
    tmp_path: Path, env: dict[str, str], reason: str
) -> None:
    base = {"RESERVO_DATABASE_URL": "", "RESERVO_REDIS_URL": "", "RESERVO_BUS": "inprocess"}
    environment = {"RESERVO_DATA_DIR": str(tmp_path), "RESERVO_ENVIRONMENT": "test", **base, **env}
    result = CliRunner().invoke(cli, ["serve", "--processes", "2"], env=environment)
    assert result.exit_code == 2
    assert reason in result.output
