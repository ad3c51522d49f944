"""Generations: a counter per resource and per offering that moves after every committed change of
what a service offering's availability shows, so availability re-reads claims only when one moved.

A claim taken or released on a resource moves the resource's counter; a new replica of an offering
(version, status, deleted, capacity) moves the offering's. A reader takes the counters of its
offering and resources *before* it reads the claims and keeps both; while the counters read the same,
no claim it would see has committed since, so the claims kept are still the database's. A writer
moves the counters *after* its transaction committed and before it answers, so the next request in
any process of the group sees them moved (read-your-writes, D15-66).

The counters must be shared by every process that writes booking's database. In the all-in-one
shape (in-process bus) those are the processes of one machine sharing one data directory (the API
processes, the relays' process, a `reservo worker`; SQLite's files live there too): the counters are
a memory-mapped file in it. The distributed shape's writers run in other pods, so there are no
counters there (`of` answers None) and availability reads the claims on every request.

Counters are cells of a fixed array, a key's cell chosen by its UUID: two keys sharing a cell only
cost an extra read. Increments take an exclusive `flock` (a few microseconds, once per write); reads
take none (an aligned 8-byte load). A counter never moves back, so a tuple of counters that reads
the same has not moved.
"""

from __future__ import annotations

import mmap
import os
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import structlog

from reservo.platform.db.uow import Transaction
from reservo.platform.service import ServiceContext

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, no shared counters; claims are read
    fcntl = None  # type: ignore[assignment]

log = structlog.get_logger("reservo.booking")
CELLS = 1 << 16  # 512 KiB of counters
_MASK = CELLS - 1
FILE = "booking-generations.v1"


class Generations:
    """The counters in `path` (created on first use), mapped into this process."""

    def __init__(self, path: Path) -> None:
        assert fcntl is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        size = CELLS * 8
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.fstat(fd).st_size < size:
                    os.ftruncate(fd, size)  # zeros; a file only ever grows to this size
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
            self._map = mmap.mmap(fd, size)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        self._cells = memoryview(self._map).cast("Q")

    def stamp(self, keys: Sequence[uuid.UUID]) -> tuple[int, ...]:
        """The keys' counters now: read before the claims they vouch for."""
        cells = self._cells
        return tuple([cells[key.int & _MASK] for key in keys])

    def bump(self, keys: Iterable[uuid.UUID]) -> None:
        """Move the keys' counters: after the change they stand for has committed."""
        assert fcntl is not None
        cells = self._cells
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            for index in {key.int & _MASK for key in keys}:
                cells[index] += 1
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def __del__(self) -> None:
        if (cells := getattr(self, "_cells", None)) is not None:  # not when __init__ failed
            cells.release()
            self._map.close()
            os.close(self._fd)


# The counters of the data directories this process uses: one in a server; a test run makes one
# per test, so the oldest are let go (a commit's pending bump keeps its own alive). None: the file
# could not be opened (a read-only data directory): claims are read on every request then.
_OPEN: OrderedDict[Path, Generations | None] = OrderedDict()
_OPEN_MAX = 8


def of(ctx: ServiceContext) -> Generations | None:
    """This process's counters for ctx's data directory; None where they cannot vouch for every
    writer (the distributed shape, no flock on this system, a file that cannot be opened)."""
    if not ctx.settings.embedded or fcntl is None:
        return None
    folder = ctx.settings.data_dir
    if folder not in _OPEN:
        try:
            _OPEN[folder] = Generations(folder.resolve() / FILE)
        except OSError as exc:
            log.warning("booking.generations.unavailable", folder=str(folder), error=repr(exc))
            _OPEN[folder] = None
        if len(_OPEN) > _OPEN_MAX:
            _OPEN.popitem(last=False)
    return _OPEN[folder]


def moved(tx: Transaction, ctx: ServiceContext, *keys: uuid.UUID) -> None:
    """Move the keys' counters once `tx` has committed (a resource claimed or released, an offering's
    replica replaced). Every write of what availability reads calls this."""
    if (generations := of(ctx)) is not None:
        tx.after_commit(lambda: generations.bump(keys))
