"""The extraction workers run below the embedder's CPU priority, so the embedder can take every core and
extraction fills the time it leaves (BRIEFGRAPH_INGEST__WORKER_NICE)."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from core.settings import IngestSettings
from ingest import extract_pool


def test_a_worker_process_runs_at_the_lowered_priority() -> None:
    """A real spawned worker, started with the pool's own priority step (without loading spaCy)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=extract_pool.lower_priority, initargs=(7,)
    ) as pool:
        child = pool.submit(os.nice, 0).result(timeout=120)
    assert child == min(19, os.nice(0) + 7)


def test_worker_start_lowers_priority_before_loading_the_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def lower(step: int) -> int:
        calls.append(f"nice {step}")
        return step

    def load(registry: object, settings: IngestSettings) -> object:
        calls.append("load")
        return object()

    monkeypatch.setattr(extract_pool, "_extractor", None)
    monkeypatch.setattr(extract_pool, "lower_priority", lower)
    monkeypatch.setattr(extract_pool, "build_extractor", load)
    extract_pool._start(IngestSettings(worker_nice=5))
    assert calls == ["nice 5", "load"]


def test_priority_step_zero_leaves_the_process_as_it_is() -> None:
    assert extract_pool.lower_priority(0) == os.nice(0)
