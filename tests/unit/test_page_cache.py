"""The page-cache warm-up: reads what it is given in order, within a byte budget, skips files that vanish, and
stops when asked."""

from __future__ import annotations

import threading
from pathlib import Path

from core.adapters.page_cache import PageCacheWarmer, plan, read_through


def _files(tmp_path: Path, sizes: list[int]) -> list[Path]:
    files = []
    for number, size in enumerate(sizes):
        file = tmp_path / f"f{number}"
        file.write_bytes(b"x" * size)
        files.append(file)
    return files


def test_the_plan_keeps_the_order_and_stops_before_the_budget(tmp_path: Path) -> None:
    files = _files(tmp_path, [100, 200, 50, 10])
    assert plan(files, None) == files
    assert plan(files, 300) == files[:2]  # the third would pass 300 bytes; nothing after it is taken either
    assert plan(files, 99) == []
    assert plan([tmp_path / "missing", *files[:1]], 1000) == files[:1]


def test_every_byte_is_read_and_a_vanished_file_is_skipped(tmp_path: Path) -> None:
    files = _files(tmp_path, [3 << 20, 5, 0])
    assert read_through([files[0], tmp_path / "gone", files[1], files[2]], threading.Event()) == (3 << 20) + 5


def test_a_set_stop_reads_nothing_more(tmp_path: Path) -> None:
    stop = threading.Event()
    stop.set()
    assert read_through(_files(tmp_path, [4 << 20]), stop) == 0


def test_the_warmer_reads_in_the_background_and_stops_cleanly(tmp_path: Path) -> None:
    files = _files(tmp_path, [1 << 20, 1 << 20])
    listed = threading.Event()

    def listing() -> list[Path]:
        listed.set()
        return files

    warmer = PageCacheWarmer(listing, name="test-warmer")
    assert not listed.is_set()  # nothing happens before start
    warmer.start()
    warmer.join(timeout=30)
    assert warmer.bytes_read == 2 << 20
    warmer.stop()  # after the end: returns at once
    PageCacheWarmer(lambda: files, name="never-started").stop()  # stopping one never started is fine
