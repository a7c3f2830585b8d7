"""What a payload filter costs in Qdrant local mode, as the collection grows (no model, synthetic points).

    python benchmarks/qdrant_local_filter.py [--sizes 4000 20000 40000]

qdrant-client's local mode evaluates a filter by walking every point's payload in Python, so each filtered call
is O(points) of Python work, while an unfiltered search is one numpy product. The adapter filters on every
search (kind='passage'), twice per similar-briefs call (brief_id, exclude_brief) and counts with a brief_id filter
before every write (QdrantVectorStore.delete_brief via replace_brief). This times, per collection size, with
points shaped like ours (384-d vectors; payload brief_id, kind, date_number, actors; 1 brief point per 3.7):

  search_unfiltered      query_points, limit 60, no filter
  search_kind            the same with kind='passage' (what /search does)
  count_brief_id         count with brief_id = x (what every replace_brief does first)
  retrieve_by_id         retrieve one point by id (the O(1) alternative for 'is this brief stored?')

and, in a second collection shaped like the hybrid search (named "dense" vector + sparse "bm25" with
Modifier.IDF, ~30 distinct terms per point out of a 5,000-term Zipf vocabulary, 6-term queries):

  hybrid_dense_only      query_points using="dense"
  hybrid_sparse_only     query_points using="bm25"
  hybrid_rrf             two prefetches (dense, bm25; limit 60 each) fused by Fusion.RRF, limit 60
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np
from _common import OUT, latency_summary_ms, machine_line, table
from qdrant_client import QdrantClient, models


def build(size: int, rng: np.random.Generator) -> tuple[QdrantClient, list[str]]:
    client = QdrantClient(location=":memory:")
    client.create_collection("c", vectors_config=models.VectorParams(size=384, distance=models.Distance.COSINE))
    vectors = rng.standard_normal((size, 384)).astype(np.float32)
    ids = [str(uuid.UUID(int=int(i) + 1)) for i in range(size)]
    for start in range(0, size, 2_000):
        client.upsert(
            "c",
            points=[
                models.PointStruct(
                    id=ids[i],
                    vector=vectors[i].tolist(),
                    payload={
                        "brief_id": f"b-{i // 4}",
                        "kind": "brief" if i % 4 == 0 else "passage",
                        "date_number": 20250101 + (i % 300),
                        "actors": ["ISR", "SYR"] if i % 3 else ["TUR"],
                    },
                )
                for i in range(start, min(size, start + 2_000))
            ],
        )
    return client, ids


def build_hybrid(size: int, rng: np.random.Generator) -> QdrantClient:
    client = QdrantClient(location=":memory:")
    client.create_collection(
        "h",
        vectors_config={"dense": models.VectorParams(size=384, distance=models.Distance.COSINE)},
        sparse_vectors_config={"bm25": models.SparseVectorParams(modifier=models.Modifier.IDF)},
    )
    vectors = rng.standard_normal((size, 384)).astype(np.float32)
    for start in range(0, size, 2_000):
        batch = []
        for i in range(start, min(size, start + 2_000)):
            indices = sorted({int(t) for t in rng.zipf(1.3, 40) if t < 5_000})
            batch.append(
                models.PointStruct(
                    id=i + 1,
                    vector={
                        "dense": vectors[i].tolist(),
                        "bm25": models.SparseVector(indices=indices, values=[1.0] * len(indices)),
                    },
                    payload={"brief_id": f"b-{i // 3}"},
                )
            )
        client.upsert("h", points=batch)
    return client


def measure_hybrid(size: int, rng: np.random.Generator, repeats: int) -> dict[str, dict[str, float]]:
    client = build_hybrid(size, rng)
    dense = rng.standard_normal(384).astype(np.float32).tolist()
    sparse = models.SparseVector(indices=[2, 7, 31, 120, 800, 2500], values=[1.0] * 6)
    try:
        return {
            "hybrid_dense_only": timed(lambda: client.query_points("h", query=dense, using="dense", limit=60), repeats),
            "hybrid_sparse_only": timed(
                lambda: client.query_points("h", query=sparse, using="bm25", limit=60), repeats
            ),
            "hybrid_rrf": timed(
                lambda: client.query_points(
                    "h",
                    prefetch=[
                        models.Prefetch(query=dense, using="dense", limit=60),
                        models.Prefetch(query=sparse, using="bm25", limit=60),
                    ],
                    query=models.FusionQuery(fusion=models.Fusion.RRF),
                    limit=60,
                ),
                repeats,
            ),
        }
    finally:
        client.close()


def timed(action: Callable[[], Any], repeats: int) -> dict[str, float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return latency_summary_ms(samples)


def measure(size: int, rng: np.random.Generator, repeats: int) -> dict[str, dict[str, float]]:
    client, ids = build(size, rng)
    query = rng.standard_normal(384).astype(np.float32).tolist()
    passage = models.Filter(must=[models.FieldCondition(key="kind", match=models.MatchValue(value="passage"))])
    one = models.Filter(must=[models.FieldCondition(key="brief_id", match=models.MatchValue(value="b-7"))])
    try:
        return {
            "search_unfiltered": timed(lambda: client.query_points("c", query=query, limit=60), repeats),
            "search_kind": timed(
                lambda: client.query_points("c", query=query, limit=60, query_filter=passage), repeats
            ),
            "count_brief_id": timed(lambda: client.count("c", count_filter=one), repeats),
            "retrieve_by_id": timed(lambda: client.retrieve("c", ids=[ids[7]]), repeats),
        }
    finally:
        client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4_000, 20_000, 40_000])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(5)
    results: dict[int, dict[str, dict[str, float]]] = {}
    for size in args.sizes:
        results[size] = measure(size, rng, args.repeats) | measure_hybrid(size, rng, args.repeats)
    print(machine_line())
    ops = list(next(iter(results.values())))
    rows = [[op, *(f"{results[size][op]['p50']} / {results[size][op]['p95']}" for size in results)] for op in ops]
    print(table(rows, ["operation (p50 / p95 ms)", *(f"{size} points" for size in results)]))
    (OUT / "qdrant_local_filter.json").write_text(json.dumps({"machine": machine_line(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
