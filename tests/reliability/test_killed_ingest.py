"""A real `briefgraph ingest` process is killed with SIGKILL in the middle of writing a batch; `briefgraph check`
then tells the truth about the stores, `check --repair` makes them consistent, and running the same ingest
again leaves both stores holding every brief.

The kill point is found with a timing loop, not injected: the ingest runs in batches of BATCH briefs (vectors
first, then the graph, per batch), and the test opens the graph read-only (LadybugDB lets a second process read
while the writer holds it) until the first batch is there, then kills the process: somewhere in a later batch's
extraction, embedding or writes. The vector store cannot be watched: Qdrant Edge locks its folder.
Uses the real embedding model in its subprocesses (about 10 s to load each), hence the `model` mark.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.adapters.embedded_graph import EmbeddedGraphStore
from core.bootstrap import build_stores, build_vectors
from core.errors import BriefgraphError
from core.settings import Settings
from ingest.consistency import check_stores
from ingest.parse import parse_brief
from ingest.sources import iter_files, read_file
from tests.conftest import EXAMPLES, REPO
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.model

BATCH = 8
MODEL_DIMENSION = 384  # all-MiniLM-L6-v2; the fake embedder of that size opens the same collection


def _env(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFGRAPH_")}
    env["BRIEFGRAPH_DATA_DIR"] = str(data_dir)
    env["BRIEFGRAPH_INGEST__BATCH_SIZE"] = str(BATCH)
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


def _briefs_in_graph(graph_path: Path) -> int:
    if not graph_path.exists():
        return 0
    try:
        graph = EmbeddedGraphStore(graph_path, read_only=True)
    except (BriefgraphError, RuntimeError):  # not created yet, or being created this instant
        return 0
    try:
        return len(graph.brief_hashes())
    except (BriefgraphError, RuntimeError):  # the writer has not made the tables yet
        return 0
    finally:
        graph.close()


def _expected_ids(folder: Path) -> set[str]:
    return {parse_brief(raw)[0].id for path in iter_files(folder) for raw in read_file(path, 20_000_000)}


def test_ingest_killed_mid_batch_is_reported_and_recovered(tmp_path: Path) -> None:
    briefs = tmp_path / "briefs"
    shutil.copytree(EXAMPLES, briefs)
    expected = _expected_ids(briefs)
    data_dir = tmp_path / "data"

    ingest = subprocess.Popen(
        [sys.executable, "-m", "briefgraph.cli", "ingest", str(briefs), "--no-progress"],
        cwd=REPO,
        env=_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its extraction workers too
    )
    deadline = time.monotonic() + 240
    killed_at_briefs = 0
    try:
        while ingest.poll() is None and time.monotonic() < deadline:
            briefs_written = _briefs_in_graph(data_dir / "graph")
            if briefs_written >= BATCH:
                os.killpg(ingest.pid, signal.SIGKILL)
                killed_at_briefs = briefs_written
                break
            time.sleep(0.05)
    finally:
        if ingest.poll() is None and not killed_at_briefs:
            os.killpg(ingest.pid, signal.SIGKILL)
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
    print(f"\nkilled once the graph held {killed_at_briefs} briefs; graph held {len(stored)} briefs; drift: {drift}")

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
