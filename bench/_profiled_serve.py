"""`reservo serve ...` under cProfile; the stats are written to argv[1] when the server stops."""

from __future__ import annotations

import cProfile
import signal
import sys

from reservo.cli import cli

# uvicorn re-raises SIGTERM after its graceful shutdown; exit normally so the stats get written.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
profiler = cProfile.Profile()
out, args = sys.argv[1], sys.argv[2:]
profiler.enable()
try:
    cli(args, standalone_mode=False)
finally:
    profiler.disable()
    profiler.dump_stats(out)
