"""What unindexed passages cost a Qdrant Edge store: at open (the adapter builds the index when it opens with at
least OPTIMIZE_AFTER_POINTS unindexed passages) or at search time (when it does not).

    python benchmarks/edge_unindexed.py --data-dir benchmarks/out/edge_100k [--extra 5000 20000 40000]

For each N of --extra, the folder's vectors are copied to benchmarks/out/edge_unindexed/ and N more passages are
written into the copy without optimize() (re-keyed copies of stored passages: new ids and brief ids, so they
add to what a search scores), as a crashed or interrupted ingest, or an API's trickle of POST /briefs below
the threshold, leaves them. Then, each in a fresh process:

  open_lazy    open with the build threshold out of reach: seconds to open, then hybrid and dense search
               p50/p95 (limit 60, the labelled queries) with those N passages unindexed
  open_build   open, then optimize() when N reaches OPTIMIZE_AFTER_POINTS (what the adapter means to do at
               open: see `adapter_count` in the output for what its check reads), timed as part of the open,
               then the same searches

Query vectors come from edge_config.py's inputs file for the folder (made on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import OUT, latency_summary_ms, machine_line, proc_status_mib, table


def add_unindexed(folder: Path, extra: int) -> None:
    from core.adapters.edge_store import EdgeVectorStore
    from core.adapters.vector_points import point_id
    from core.models import StoredPoint

    meta = json.loads((folder / "vectors" / "briefgraph" / "store.json").read_text())
    store = EdgeVectorStore(collection="briefgraph", path=folder / "vectors", optimize_after_points=10**12)
    store.ensure_collection(int(meta["dimension"]), meta.get("embedder"))
    sources: list[StoredPoint] = []
    for point in store.stored_points("passage"):
        sources.append(point)
        if len(sources) == 4_000:
            break

    def extra_points() -> Any:
        for i in range(extra):
            source = sources[i % len(sources)]
            brief_id = f"{source.payload['brief_id']}-u{i // len(sources)}"
            yield StoredPoint(
                id=point_id(brief_id, "passage", i),
                dense=source.dense,
                keywords=source.keywords,
                payload={**source.payload, "brief_id": brief_id},
            )

    store.restore_points("passage", extra_points())
    store.close()


def child(folder: Path, mode: str, inputs_file: Path) -> dict[str, Any]:
    from core.adapters.edge_store import OPTIMIZE_AFTER_POINTS, EdgeVectorStore
    from core.models import VectorFilter

    meta = json.loads((folder / "vectors" / "briefgraph" / "store.json").read_text())
    started = time.perf_counter()
    store = EdgeVectorStore(collection="briefgraph", path=folder / "vectors", optimize_after_points=10**12)
    store.ensure_collection(int(meta["dimension"]), meta.get("embedder"))
    info = store._shards["passages"].info()
    # a passage has a dense and a sparse vector, and the sparse one counts as indexed at once: the unindexed
    # passages are 2 x points - indexed vectors (the adapter's points - indexed is negative and never builds)
    unindexed = 2 * int(info.points_count) - int(info.indexed_vectors_count)
    if mode == "open_build" and unindexed >= OPTIMIZE_AFTER_POINTS:
        store.optimize()  # what opening does once the count is right
    open_s = time.perf_counter() - started
    after = store._shards["passages"].info()
    inputs = json.loads(inputs_file.read_text())
    passage = VectorFilter(kind="passage")
    pairs = list(zip(inputs["queries"], inputs["vectors"], strict=True))
    for query, vector in pairs[:5]:
        store.search(vector, limit=60, filter=passage, text=query)
    hybrid: list[float] = []
    dense: list[float] = []
    for _ in range(3):
        for query, vector in pairs:
            t0 = time.perf_counter()
            store.search(vector, limit=60, filter=passage, text=query)
            t1 = time.perf_counter()
            store.search(vector, limit=60, filter=passage)
            dense.append(time.perf_counter() - t1)
            hybrid.append(t1 - t0)
    store.close()
    return {
        "mode": mode,
        "open_s": round(open_s, 2),
        "points": int(info.points_count),
        "unindexed_before": unindexed,
        "unindexed_after_open": 2 * int(after.points_count) - int(after.indexed_vectors_count),
        "adapter_count": int(info.points_count) - int(info.indexed_vectors_count),
        "hybrid": latency_summary_ms(hybrid),
        "dense": latency_summary_ms(dense),
        "peak_rss_mib": round(proc_status_mib(os.getpid(), "VmHWM") or 0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--extra", type=int, nargs="*", default=[5_000, 20_000, 40_000])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    data_dir: Path = args.data_dir.resolve()
    inputs_file = OUT / f"edge_config_inputs_{data_dir.name}.json"
    if args.child:
        print(json.dumps(child(data_dir, args.child[0], Path(args.child[1]))))
        return 0
    if not inputs_file.is_file():
        from edge_config import query_inputs

        inputs_file.write_text(json.dumps(query_inputs(data_dir)))
    scratch = OUT / "edge_unindexed"
    results: list[dict[str, Any]] = []
    for extra in args.extra:
        if scratch.exists():
            shutil.rmtree(scratch)
        scratch.mkdir(parents=True)
        shutil.copytree(data_dir / "vectors", scratch / "vectors")
        started = time.perf_counter()
        add_unindexed(scratch, extra)
        write_s = time.perf_counter() - started
        for mode in ("open_lazy", "open_build"):  # lazy first: the build changes the folder
            command = [sys.executable, __file__, "--data-dir", str(scratch), "--child", mode, str(inputs_file)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result |= {"extra": extra, "write_extra_s": round(write_s, 1)}
            results.append(result)
            print(f"  {result}", file=sys.stderr)
    shutil.rmtree(scratch, ignore_errors=True)
    rows = [
        [
            r["extra"],
            r["mode"],
            r["open_s"],
            r["unindexed_after_open"],
            f"{r['hybrid']['p50']} / {r['hybrid']['p95']}",
            f"{r['dense']['p50']} / {r['dense']['p95']}",
            r["peak_rss_mib"],
        ]
        for r in results
    ]
    print(machine_line())
    print(table(rows, ["extra passages", "open", "open s", "unindexed after", "hybrid p50/p95", "dense", "peak MiB"]))
    (OUT / f"edge_unindexed_{data_dir.name}.json").write_text(
        json.dumps({"machine": machine_line(), "results": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
