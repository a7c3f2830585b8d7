"""The index build that ends a batch ingest (`briefgraph ingest` calls `VectorStore.optimize()` after its run;
ingest_throughput.py times the run only), on a copy of a kept folder.

    python benchmarks/final_build.py --data-dir benchmarks/out/edge_100k_ingest

Copies the folder to benchmarks/out/final_build/ (the original is left as the ingest wrote it), opens the copy's
vectors as the CLI does, and prints the seconds `optimize()` took, the segments of each shard before and after,
and this process's peak RSS. --keep leaves the copy, e.g. for query_latency.py --data-dir on the built folder.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from _common import OUT, machine_line, peak_rss_mib


def segments(root: Path) -> dict[str, int]:
    from core.adapters.edge_store import SHARDS

    return {shard: sum(1 for _ in (root / shard / "segments").iterdir()) for shard in SHARDS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True, help="a folder ingest_throughput.py --keep wrote")
    parser.add_argument("--keep", action="store_true", help="leave the built copy in benchmarks/out/final_build")
    args = parser.parse_args(argv)
    from core.adapters.edge_store import EdgeVectorStore

    copy = OUT / "final_build"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(args.data_dir, copy)
    print(machine_line())
    root = copy / "vectors" / "briefgraph"
    before = segments(root)
    started = time.perf_counter()
    store = EdgeVectorStore(collection="briefgraph", path=copy / "vectors")
    store.open_existing()
    opened = time.perf_counter() - started
    started = time.perf_counter()
    store.optimize()
    built = time.perf_counter() - started
    store.close()
    print(f"data {args.data_dir}: opened in {opened:.1f} s; optimize() {built:.1f} s")
    print(f"segments before {before}, after {segments(root)}; peak RSS {peak_rss_mib():.0f} MiB")
    if not args.keep:
        shutil.rmtree(copy, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
