"""A real `briefgraph ingest` process is killed with SIGKILL in the middle of writing a batch; `briefgraph check`
then tells the truth about the stores, `check --repair` makes them consistent, and running the same ingest
again leaves both stores holding every brief.

The kill point is found with a timing loop, not injected: the test watches the Qdrant local-mode file (one
SQLite row per point, committed as it is written) and kills the process once KILL_AFTER_POINTS points have landed
(a few briefs, about five points each), which is while the first batch of 32 briefs is being written (vectors
first, then the graph, brief by brief).
Uses the real embedding model in its subprocesses (about 10 s to load each), hence the `model` mark.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.bootstrap import build_stores, build_vectors
from core.settings import Settings
from ingest.consistency import check_stores
from ingest.parse import parse_brief
from ingest.sources import iter_files, read_file
from tests.conftest import EXAMPLES, REPO
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.model

KILL_AFTER_POINTS = 25
MODEL_DIMENSION = 384  # all-MiniLM-L6-v2; the fake embedder of that size opens the same collection


def _env(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFGRAPH_")}
    env["BRIEFGRAPH_DATA_DIR"] = str(data_dir)
    return env


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgraph.cli", *args],
        cwd=REPO,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def _written_by(data_dir: Path) -> str:
    """The embedder the ingest subprocess wrote the folder with (the default picks it per machine)."""
    vectors = build_vectors(Settings(data_dir=data_dir))
    try:
        written_by = vectors.stored_embedder()
    finally:
        vectors.close()
    assert written_by is not None, "the ingest wrote no vectors"
    return written_by


def _points(storage: Path) -> int:
    if not storage.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{storage}?mode=ro", uri=True, timeout=0.1) as connection:
            return int(connection.execute("SELECT count(*) FROM points").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not there yet, or the writer holds a lock this instant
        return 0


def _expected_ids(folder: Path) -> set[str]:
    return {parse_brief(raw)[0].id for path in iter_files(folder) for raw in read_file(path, 20_000_000)}


def test_ingest_killed_mid_batch_is_reported_and_recovered(tmp_path: Path) -> None:
    briefs = tmp_path / "briefs"
    shutil.copytree(EXAMPLES, briefs)
    expected = _expected_ids(briefs)
    data_dir = tmp_path / "data"
    storage = data_dir / "qdrant" / "collection" / "briefgraph" / "storage.sqlite"

    ingest = subprocess.Popen(
        [sys.executable, "-m", "briefgraph.cli", "ingest", str(briefs), "--no-progress"],
        cwd=REPO,
        env=_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 240
    killed_at_points = 0
    try:
        while ingest.poll() is None and time.monotonic() < deadline:
            points = _points(storage)
            if points >= KILL_AFTER_POINTS:
                ingest.send_signal(signal.SIGKILL)
                killed_at_points = points
                break
            time.sleep(0.005)
    finally:
        if ingest.poll() is None and not killed_at_points:
            ingest.kill()
        _, stderr = ingest.communicate(timeout=30)
    assert ingest.returncode == -signal.SIGKILL, f"ingest ended before it could be killed:\n{stderr[-2000:]}"

    # what `check` reports must match the stores; a killed run never leaves the graph ahead of the vectors
    checked = _cli(data_dir, "check")
    drift = json.loads(checked.stdout)
    consistent = not (drift["only_in_vectors"] or drift["only_in_graph"] or drift["hash_mismatch"])
    assert checked.returncode == (0 if consistent else 1), checked.stderr[-2000:]
    assert drift["only_in_graph"] == [] and drift["hash_mismatch"] == []
    stores = build_stores(Settings(data_dir=data_dir), embedder=HashingEmbedder(MODEL_DIMENSION, _written_by(data_dir)))
    try:
        assert check_stores(stores).model_dump() == drift
        stored = set(stores.graph.brief_hashes())
    finally:
        stores.close()
    assert stored < expected, "the kill was meant to land in the middle of the run"
    print(f"\nkilled after {killed_at_points} point(s); graph held {len(stored)} briefs; drift: {drift}")

    repaired = _cli(data_dir, "check", "--repair")
    assert repaired.returncode == 0, repaired.stderr[-2000:]
    assert json.loads(repaired.stdout)["removed"] == drift["only_in_vectors"]

    rerun = _cli(data_dir, "ingest", str(briefs), "--no-progress")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    counts = f"ingested {len(expected) - len(stored)}, replaced 0, unchanged {len(stored)}, skipped 0, failed 0"
    assert counts in rerun.stderr

    stores = build_stores(Settings(data_dir=data_dir), embedder=HashingEmbedder(MODEL_DIMENSION, _written_by(data_dir)))
    try:
        assert check_stores(stores).consistent
        assert set(stores.graph.brief_hashes()) == set(stores.vectors.brief_hashes()) == expected
    finally:
        stores.close()
