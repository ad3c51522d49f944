"""Each service's own settings (D10-3): read from RESERVO_<SERVICE>_..., checked when a process starts
(a missing production secret stops it, naming the variable), all listed in .env.example."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reservo.platform.config import Settings
from reservo.platform.runtime import Runtime
from reservo.platform.service_settings import SettingsError, env_name
from reservo.services import REGISTRY, pick
from reservo.services.booking.settings import BookingSettings
from reservo.services.user.settings import UserSettings

ROOT = Path(__file__).resolve().parents[2]
RESERVO = Path(sys.executable).parent / "reservo"


def _names_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^(RESERVO_[A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_setting_of_the_platform_and_of_every_service() -> None:
    expected = {f"RESERVO_{name.upper()}" for name in Settings.model_fields}
    for spec in REGISTRY:
        if spec.settings is not None:
            expected |= {env_name(spec.settings, name) for name in spec.settings.model_fields}
    # Read outside the settings classes: the per-service database URL (one example) and the health port.
    expected |= {"RESERVO_BOOKING_DATABASE_URL", "RESERVO_HEALTH_PORT"}
    # Read by the command line before any settings (platform/vault.py).
    expected |= {
        f"RESERVO_VAULT_{name}"
        for name in (
            "ADDR",
            "TOKEN",
            "TOKEN_FILE",
            "K8S_ROLE",
            "K8S_MOUNT",
            "K8S_TOKEN_PATH",
            "MOUNT",
            "PATH",
            "CA_CERT",
            "TIMEOUT_SECONDS",
        )
    }
    assert _names_in_env_example() == expected


def test_the_platform_settings_hold_no_service_setting() -> None:
    services = {spec.name for spec in REGISTRY}
    owned = [f for f in Settings.model_fields if f.split("_")[0] in services]
    assert owned == []
    assert {"booking", "user", "notification", "payment"} <= {s.name for s in REGISTRY if s.settings}


def test_a_service_reads_its_settings_from_its_own_prefix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RESERVO_BOOKING_HOLD_MINUTES", "7")
    monkeypatch.setenv("RESERVO_HOLD_MINUTES", "99")  # another prefix: not the booking service's
    runtime = Runtime(Settings(data_dir=tmp_path), pick(["booking"]))
    assert runtime.contexts["booking"].settings_of(BookingSettings).hold_minutes == 7


def test_a_wrong_value_stops_the_runtime_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RESERVO_BOOKING_HOLD_MINUTES", "a quarter of an hour")
    with pytest.raises(SettingsError, match="RESERVO_BOOKING_HOLD_MINUTES"):
        Runtime(Settings(data_dir=tmp_path), pick(["booking"]))


def test_production_with_a_complete_provider_starts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RESERVO_USER_GOOGLE_CLIENT_ID", "client.apps.example")
    monkeypatch.setenv("RESERVO_USER_GOOGLE_CLIENT_SECRET", "s3cret")
    settings = Settings(data_dir=tmp_path, environment="production", secret_key="k" * 40)
    runtime = Runtime(settings, pick(["user"]))
    own = runtime.contexts["user"].settings_of(UserSettings)
    assert own.google_client_id == "client.apps.example"


def _serve(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`reservo serve user` in a clean environment (no .env: run from an empty folder)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RESERVO_")}
    clean |= {"RESERVO_DATA_DIR": str(tmp_path / "data"), "RESERVO_ENVIRONMENT": "production", **env}
    return subprocess.run(
        [str(RESERVO), "serve", "user", "--port", "1"],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_in_production_without_a_secret_beside_its_client_id_fails_naming_it(tmp_path: Path) -> None:
    done = _serve(tmp_path, RESERVO_SECRET_KEY="k" * 40, RESERVO_USER_GOOGLE_CLIENT_ID="client.apps.example")
    assert done.returncode == 2, done.stderr
    assert "RESERVO_USER_GOOGLE_CLIENT_SECRET" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_in_production_without_its_own_secret_key_fails_naming_it(tmp_path: Path) -> None:
    done = _serve(tmp_path)
    assert done.returncode == 2, done.stderr
    assert "RESERVO_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr
