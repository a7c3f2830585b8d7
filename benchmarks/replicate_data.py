"""Grow an ingested data folder to N briefs with re-keyed copies, for read-latency runs at scale without
re-ingesting (a real 100k ingest takes over an hour on the 2-core machine, see RESULTS.md).

    python benchmarks/replicate_data.py --source benchmarks/out/edge_1k --count 10000 --out benchmarks/out/edge_10k
        [--graph-from benchmarks/out/edge_10k_old] [--vectors-only] [--no-optimize]

Copy k of brief b gets the id `b-r<k>` (copy 0 keeps b's id). Vectors: every point of the source's Qdrant Edge
store (`EdgeVectorStore.stored_points`) is written again with `restore_points` under the copy's ids
(`point_id(new id, kind, i)`, as the pipeline would have given them, so GET /briefs/{id}/similar, rewrites and
deletes find them) and the payload's brief_id changed; a brief point keeps its `passage_count`. Then one
`optimize()` builds the HNSW graphs and merges segments, timed (it is what an ingest of that size ends up
paying). Graph: the extracted brief from graph_backends.py's cache, re-keyed, written with replace_briefs in
batches of 128 (or copied from --graph-from, a folder grown from the same corpus to the same count).

Search results then hold duplicates of each brief, which changes nothing in what a query costs: the same number
of points is scored, filtered and grouped, and the graph holds as many interactions per dyad as real briefs would.
Prints a JSON line with the point counts, the seconds of each part, and the vectors folder's size on disk.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import OUT


def folder_mib(folder: Path) -> float:
    """What the folder takes on disk (allocated blocks, as du counts: the WAL's files are sparse)."""
    return sum(f.stat().st_blocks * 512 for f in folder.rglob("*") if f.is_file()) / 2**20


def copy_vectors(
    source_dir: Path, out_dir: Path, count: int, originals: list[str] | None = None, *, optimize: bool = True
) -> dict[str, Any]:
    """Write copies of the source's briefs into out_dir's store until it holds `count` briefs, numbered and
    ordered as graph_backends.replicate() makes them from `originals` (the extracted briefs' ids; None: every
    brief of the source, in its order); returns counts and timings."""
    from core.adapters.edge_store import EdgeVectorStore
    from core.adapters.vector_points import PASSAGE_COUNT, point_id
    from core.models import StoredPoint

    source = EdgeVectorStore(collection="briefgraph", path=source_dir / "vectors", optimize_after_points=10**12)
    meta = json.loads((source_dir / "vectors" / "briefgraph" / "store.json").read_text())
    source.ensure_collection(int(meta["dimension"]), meta.get("embedder"))
    started = time.perf_counter()
    briefs = list(source.stored_points("brief"))
    passages = list(source.stored_points("passage"))
    source.close()
    read_s = time.perf_counter() - started
    # a passage point's index i within its brief (its id is point_id(brief, 'passage', i))
    index_of: dict[str, int] = {}
    for brief in briefs:
        brief_id = str(brief.payload["brief_id"])
        for i in range(int(brief.payload[PASSAGE_COUNT])):
            index_of[point_id(brief_id, "passage", i)] = i
    if len(index_of) != len(passages) or any(p.id not in index_of for p in passages):
        raise SystemExit("the source's passage ids are not the ones point_id() gives its briefs' passage counts")
    stored = {str(b.payload["brief_id"]) for b in briefs}
    order = [b for b in originals if b in stored] if originals is not None else sorted(stored)
    if originals is not None and len(order) != len(originals):
        print(f"{len(originals) - len(order)} extracted briefs are not in the source's vectors", file=sys.stderr)
    per_copy = len(originals) if originals is not None else len(order)
    copies = range((count + per_copy - 1) // per_copy)
    wanted_last = set((originals if originals is not None else order)[: count - (len(copies) - 1) * per_copy])
    keep = set(order)

    def rekeyed(points: list[StoredPoint], kind: str, copy: int) -> Iterator[StoredPoint]:
        for point in points:
            original = str(point.payload["brief_id"])
            if original not in keep or (copy == copies[-1] and original not in wanted_last):
                continue
            new_id = original if copy == 0 else f"{original}-r{copy}"
            index = 0 if kind == "brief" else index_of[point.id]
            yield StoredPoint(
                id=point_id(new_id, kind, index),
                dense=point.dense,
                keywords=point.keywords,
                payload={**point.payload, "brief_id": new_id},
            )

    target = EdgeVectorStore(collection="briefgraph", path=out_dir / "vectors", optimize_after_points=10**12)
    target.ensure_collection(int(meta["dimension"]), meta.get("embedder"))
    started = time.perf_counter()
    written = {"brief": 0, "passage": 0}
    for copy in copies:
        written["passage"] += target.restore_points("passage", rekeyed(passages, "passage", copy))
        written["brief"] += target.restore_points("brief", rekeyed(briefs, "brief", copy))
        if copy % 10 == 9:
            print(f"vectors: copy {copy + 1}, {written}, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    write_s = time.perf_counter() - started
    optimize_s = None
    if optimize:
        started = time.perf_counter()
        target.optimize()
        optimize_s = time.perf_counter() - started
    started = time.perf_counter()
    target.close()
    close_s = time.perf_counter() - started
    return {
        "points_written": written,
        "read_source_s": round(read_s, 1),
        "write_s": round(write_s, 1),
        "optimize_s": None if optimize_s is None else round(optimize_s, 1),
        "close_s": round(close_s, 1),
        "vectors_mib": round(folder_mib(out_dir / "vectors"), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True, help="a folder ingest_throughput.py --keep wrote")
    parser.add_argument("--corpus", type=Path, default=OUT / "corpus_1k.jsonl", help="the corpus it was made from")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--graph-from", type=Path, help="copy the graph of an earlier run with the same --count")
    parser.add_argument("--vectors-only", action="store_true", help="write no graph (vector-store experiments)")
    parser.add_argument("--no-optimize", action="store_true", help="leave the copied points unindexed")
    args = parser.parse_args(argv)
    if args.out.exists():
        raise SystemExit(f"{args.out} exists")
    args.out.mkdir(parents=True)
    result: dict[str, Any] = {"source": str(args.source), "count": args.count, "out": str(args.out)}
    extracted: list[Any] | None = None
    if not args.vectors_only:
        from graph_backends import extracted_corpus

        extracted = extracted_corpus(args.corpus.resolve(), None)
    originals = None if extracted is None else [item.brief.id for item in extracted]
    result["vectors"] = copy_vectors(args.source, args.out, args.count, originals, optimize=not args.no_optimize)
    print(f"vectors: {result['vectors']}", file=sys.stderr)

    started = time.perf_counter()
    if extracted is None:
        pass
    elif args.graph_from:  # same corpus and count: reuse the graph (a file, with sidecars)
        for part in args.graph_from.glob("graph*"):
            (shutil.copytree if part.is_dir() else shutil.copy2)(part, args.out / part.name)
    else:
        from graph_backends import replicate

        from core.adapters.embedded_graph import EmbeddedGraphStore

        copies = replicate(extracted, args.count)
        graph = EmbeddedGraphStore(args.out / "graph", query_timeout_s=600)
        graph.apply_schema()
        for start in range(0, len(copies), 128):  # the pipeline's batch size (INGEST__BATCH_SIZE)
            graph.replace_briefs(copies[start : start + 128])
            if (start + 128) % 8_192 == 0:
                print(f"graph: {start + 128} briefs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        graph.close()
    result["graph_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    (OUT / f"replicate_{args.out.name}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
