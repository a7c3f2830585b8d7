"""The page-cache warm-up: reads what it is given in order, within a byte budget, skips files that vanish, and
stops when asked."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core.adapters import page_cache
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
    assert plan(files, 360) == files
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


def test_the_warmer_reads_in_the_background_and_stops_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_cache, "available_memory_bytes", lambda: 1 << 30)
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


def test_the_warmer_stays_within_half_of_what_may_be_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _files(tmp_path, [1 << 20, 1 << 20, 1 << 20])
    monkeypatch.setattr(page_cache, "available_memory_bytes", lambda: 5 << 20)  # half: 2.5 MiB
    warmer = PageCacheWarmer(lambda: files, name="test-warmer")
    warmer.start()
    warmer.join(timeout=30)
    assert warmer.bytes_read == 2 << 20


def test_where_memory_is_unknown_nothing_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_cache, "available_memory_bytes", lambda: None)
    warmer = PageCacheWarmer(lambda: _files(tmp_path, [1 << 20]), name="test-warmer")
    warmer.start()
    warmer.join(timeout=30)
    assert warmer.bytes_read == 0


def test_a_stop_while_listing_reads_nothing_and_a_failing_listing_ends_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_cache, "available_memory_bytes", lambda: 1 << 30)
    files = _files(tmp_path, [4 << 20])
    listing_started, release = threading.Event(), threading.Event()

    def slow_listing() -> list[Path]:
        listing_started.set()
        release.wait(30)
        return files

    warmer = PageCacheWarmer(slow_listing, name="test-warmer")
    warmer.start()
    assert listing_started.wait(30)
    stopper = threading.Thread(target=warmer.stop)
    stopper.start()  # sets the stop flag, then waits for the thread
    release.set()
    stopper.join(30)
    assert warmer.bytes_read == 0

    def failing_listing() -> list[Path]:
        raise FileNotFoundError("a segment folder went away")

    failing = PageCacheWarmer(failing_listing, name="test-warmer")
    failing.start()
    failing.join(timeout=30)
    assert failing.bytes_read == 0  # logged, not raised out of the thread
