"""Log lines: JSON with the service and the correlation id; plain lines without colour codes when
stderr is not a terminal (log files of `make run-distributed`)."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import sys
from reservo.platform.context import correlation_id
from reservo.platform.observability import configure_logging
import structlog
configure_logging("INFO", json=sys.argv[1] == "json", service="booking")
correlation_id.set("corr-9")
structlog.get_logger("t").info("booking.created", booking_id="b1")
"""


def _line(mode: str) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_json_lines_carry_service_and_correlation_id() -> None:
    line = json.loads(_line("json"))
    assert (line["service"], line["correlation_id"], line["event"]) == (
        "booking",
        "corr-9",
        "booking.created",
    )


def test_plain_lines_have_no_colour_codes_off_a_terminal() -> None:
    line = _line("plain")
    assert "booking.created" in line and "\\x1b[" not in line and "\x1b[" not in line
