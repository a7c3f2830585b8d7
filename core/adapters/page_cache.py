"""Reads a store's files into the operating system's page cache in a background thread.

Why: Qdrant Edge drops a shard's files from the page cache when the shard is closed, so after every restart the
first search near each new query read its vectors and payload from disk: at 100k briefs a new query took 10-25 ms
where a repeated one took 1-3 ms, for the first few hundred queries (benchmarks/RESULTS.md). Reading the files once,
in order of what searches touch first, makes the first queries as fast as later ones. The files are read, not
mapped, so they count against the page cache (which the kernel may reclaim), not against the process's memory.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

CHUNK = 1 << 20
READ_AHEAD = 8 << 20
NICE = 10  # below the threads that answer requests
AVAILABLE_SHARE = 0.5  # never read more than this share of the memory the kernel reports available


def available_memory_bytes() -> int | None:
    """What may still be cached without pushing anything out: the kernel's MemAvailable, and within a cgroup (v2)
    with a memory limit, no more than that limit less what the group uses (page cache counts against it). None
    where neither can be read (not Linux)."""
    available: int | None = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text())
        if limit != "max" and available is not None:
            available = min(available, max(0, int(limit) - used))
    except (OSError, ValueError):
        pass
    return available


def plan(files: Sequence[Path], budget: int) -> list[Path]:
    """The files to read, in the given order, stopping before the first one that would pass `budget` bytes."""
    chosen: list[Path] = []
    total = 0
    for file in files:
        try:
            size = file.stat().st_size
        except OSError:
            continue
        if total + size > budget:
            break
        chosen.append(file)
        total += size
    return chosen


def read_through(files: Sequence[Path], stop: threading.Event) -> int:
    """Read every file to its end (bytes discarded), stopping early when `stop` is set; returns bytes read.
    A file that vanished or cannot be read is skipped: this only ever makes later reads faster.

    The kernel is first asked to read every file ahead (asynchronously, in large requests), so the reads that
    follow mostly copy from memory: 1.3 GiB in 0.8 s and 0.2 CPU s, against 2.4 s and 2.0 CPU s reading alone.
    The read itself still matters: pages only read ahead left the first searches about as slow as before."""
    for file in files:
        if stop.is_set():
            return 0
        _read_ahead(file)
    buffer = bytearray(CHUNK)
    done = 0
    for file in files:
        try:
            with file.open("rb", buffering=0) as handle:
                while not stop.is_set():
                    count = handle.readinto(buffer)
                    if not count:
                        break
                    done += count
        except OSError as error:
            log.debug("page cache warm-up skipped %s: %s", file, error)
        if stop.is_set():
            break
    return done


def _read_ahead(file: Path) -> None:
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    try:
        descriptor = os.open(file, os.O_RDONLY)
    except OSError:
        return
    try:
        size = os.fstat(descriptor).st_size
        for offset in range(0, size, READ_AHEAD):  # the kernel caps one request's read-ahead (8 MiB here)
            advise(descriptor, offset, READ_AHEAD, os.POSIX_FADV_WILLNEED)
    except OSError:
        pass
    finally:
        os.close(descriptor)


class PageCacheWarmer:
    """One background read of `files()` (called in the thread, so listing the folder costs the caller nothing),
    at low CPU priority, within half of the memory that may still be cached (none where that is unknown);
    `stop()` ends it between files or chunks and waits for the thread."""

    def __init__(self, files: Callable[[], Sequence[Path]], *, name: str) -> None:
        self._files = files
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.bytes_read = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            if sys.platform == "linux":  # only Linux takes a thread id here; elsewhere it names a process
                thread = threading.get_native_id()
                os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + NICE)
            available = available_memory_bytes()
            if available is None:
                return  # nothing says how much may be cached: leave memory to the kernel
            files = plan(self._files(), int(available * AVAILABLE_SHARE))
            started = time.monotonic()
            self.bytes_read = read_through(files, self._stop)
            log.info(
                "read %d MiB of %d files into the page cache in %.1f s",
                self.bytes_read >> 20,
                len(files),
                time.monotonic() - started,
            )
        except Exception as error:  # a warm-up only ever speeds reads up: a failure must not end the process
            log.warning("page cache warm-up stopped: %s", error)
