"""Grow an ingested data folder to N briefs with re-keyed copies, for read-latency runs at scale without
re-ingesting (a real 10k ingest takes over an hour on the shared 2-core machine, see RESULTS.md).

    python benchmarks/replicate_data.py --source benchmarks/out/data_1k --count 10000 --out benchmarks/out/data_10k_rep

Copy k of brief b gets the id `b-r<k>`: its Qdrant points (same vectors and payload, new ids; the brief point's id
is point_id(new id, 'brief', 0) so GET /briefs/{id}/similar finds it) and its graph contribution (the extracted
brief from graph_backends.py's cache, re-keyed, written with replace_briefs in batches of 128). Search results then hold
duplicates of each brief, which changes nothing in what a query costs: the same number of points is scored,
filtered and grouped, and the graph holds as many interactions per dyad as real briefs would.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from _common import OUT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True, help="a folder ingest_throughput.py --keep wrote")
    parser.add_argument("--corpus", type=Path, default=OUT / "corpus_1k.jsonl", help="the corpus it was made from")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--graph-from", type=Path, help="copy the graph of an earlier run with the same --count")
    args = parser.parse_args(argv)
    if args.out.exists():
        raise SystemExit(f"{args.out} exists")
    from graph_backends import extracted_corpus, replicate
    from qdrant_client import QdrantClient, models

    from core.adapters.embedded_graph import EmbeddedGraphStore
    from core.adapters.qdrant_store import QdrantVectorStore, point_id

    extracted = extracted_corpus(args.corpus.resolve(), None)
    copies = replicate(extracted, args.count)
    started = time.perf_counter()
    if args.graph_from:
        args.out.mkdir(parents=True)  # same corpus and count: reuse the graph (a file, with sidecars)
        for part in args.graph_from.glob("graph*"):
            (shutil.copytree if part.is_dir() else shutil.copy2)(part, args.out / part.name)
    else:
        graph = EmbeddedGraphStore(args.out / "graph", query_timeout_s=600)
        graph.apply_schema()
        for start in range(0, len(copies), 128):  # the pipeline's batch size (INGEST__BATCH_SIZE)
            graph.replace_briefs(copies[start : start + 128])
            if (start + 128) % 8_192 == 0:
                print(f"graph: {start + 128} briefs, {time.perf_counter() - started:.0f} s", file=sys.stderr)
        graph.close()

    # read every point of the source, whatever its layout (one collection, or passages + '_briefs')
    source = QdrantClient(path=str(args.source / "qdrant"))
    points: list[Any] = []
    embedder: str | None = None  # the copy records the embedder that made the source's vectors
    for name in ("briefgraph", "briefgraph_briefs"):
        if not source.collection_exists(name):
            continue
        embedder = (source.get_collection(name).config.metadata or {}).get("embedder", embedder)
        offset: Any = None
        while True:
            records, offset = source.scroll(name, limit=2_000, offset=offset, with_payload=True, with_vectors=True)
            points += records
            if offset is None:
                break
    source.close()
    # write them through the project's adapter, so the copy has the layout the code in this checkout expects
    store = QdrantVectorStore(collection="briefgraph", path=args.out / "qdrant")
    first = points[0].vector
    store.ensure_collection(len(first["dense"] if isinstance(first, dict) else first), embedder)
    originals = {item.brief.id for item in extracted}
    wanted = {item.brief.id for item in copies}  # the last copy may be partial
    written = 0
    for copy in range((args.count + len(originals) - 1) // len(originals)):
        by_collection: dict[str, list[models.PointStruct]] = {}
        for record in points:
            payload = dict(record.payload or {})
            if payload["brief_id"] not in originals:
                continue
            new_id = payload["brief_id"] if copy == 0 else f"{payload['brief_id']}-r{copy}"
            if new_id not in wanted:
                continue
            payload["brief_id"] = new_id
            if payload["kind"] == "brief":
                pid = point_id(new_id, "brief", 0)
            else:
                pid = str(record.id) if copy == 0 else str(uuid.uuid5(uuid.UUID(str(record.id)), str(copy)))
            name = store._collection_of(payload["kind"]) if hasattr(store, "_collection_of") else "briefgraph"
            by_collection.setdefault(name, []).append(models.PointStruct(id=pid, vector=record.vector, payload=payload))
        for name, batch in by_collection.items():
            for start in range(0, len(batch), 2_000):
                store._client.upsert(name, points=batch[start : start + 2_000])
            written += len(batch)
    print(f"vectors: {written} points; total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
