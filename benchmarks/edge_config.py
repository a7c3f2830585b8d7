"""Qdrant Edge settings for the embedded vector store, tried on one folder: open time, memory and search latency.

    python benchmarks/edge_config.py --data-dir benchmarks/out/edge_100k [--variants default payload_cached ...]
        [--repeat 3] [--copy-for-rebuild]

For each variant, in a fresh subprocess (so that its memory and open time are its own), the folder's store is
opened through `EdgeVectorStore` as the API opens it, except that `EdgeShard.load` is given the variant's
`EdgeConfig` (memory placement, search threads: what can change on an existing folder; Qdrant Edge writes the
given config to the shard, so every variant passes all of its settings). Then, with query vectors embedded once
beforehand (benchmarks/data/queries.jsonl, the configured embedder), it times the store's calls the API makes:

  hybrid      search(limit 60, passages, with the query's text)  (GET /search, k=10)
  dense       search(limit 60, passages)                          (its dense part)
  filtered    the hybrid search with a date range and an actor    (GET /search with from= and actor=)
  brief_point brief_point(id)                                     (GET /briefs/{id}/similar, first read)
  briefs      search(brief vector, limit 21, kind='brief')        (its search)

and reports the open seconds, RSS after open and after the searches, p50/p95/p99 of each, and the dense and
brief searches' agreement with an exact (brute-force) search of the same vectors (top-10 overlap).

Variants that change what is built (quantization, HNSW m / ef_construct) need the index rebuilt: with
--copy-for-rebuild the folder's vectors are copied to benchmarks/out/edge_config_<variant>/ and optimize() is run
with the variant's config (timed), then measured the same way. The page cache is shared between variants: the
first variant opened after a cold start pays the disk reads, so run `default` first and again last to see it.
Every variant passes all of its settings (the engine's defaults where it names none): load() writes the config it
is given into the shard, and one left unspecified keeps what the previous variant wrote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import DATA, OUT, latency_summary_ms, machine_line, proc_status_mib, table


def variants() -> dict[str, dict[str, Any]]:
    """name -> keyword arguments of the passages' and briefs' EdgeConfig changes (see config_for)."""
    return {
        "default": {},
        "payload_cached": {"payload_memory": "Cached"},
        "vectors_cold": {"vector_memory": "Cold"},
        "vectors_cold_payload_cached": {"vector_memory": "Cold", "payload_memory": "Cached"},
        "threads_1": {"max_search_threads": 1},
        "threads_2": {"max_search_threads": 2},
        "int8_ram": {"int8": "Pinned", "rebuild": True},
        "int8_ram_vectors_cold": {"int8": "Pinned", "vector_memory": "Cold", "rebuild": True},
        "hnsw_m8": {"m": 8, "ef_construct": 64, "rebuild": True},
    }


def config_for(name: str, shard: str, dimension: int, spec: dict[str, Any]) -> Any:
    from qdrant_edge import (
        Distance,
        EdgeConfig,
        EdgeSparseVectorParams,
        EdgeVectorParams,
        HnswIndexConfig,
        Memory,
        Modifier,
        ScalarQuantizationConfig,
        ScalarType,
    )

    from core.adapters.vector_points import DENSE, KEYWORDS

    memory = {"Cold": Memory.Cold, "Cached": Memory.Cached, "Pinned": Memory.Pinned}
    # every setting explicit: Qdrant Edge writes a config given to load() into the shard, and a setting left None
    # keeps what an earlier load wrote (the engine's defaults: vectors Cached, payload Cold, threads per CPU)
    vector_kwargs: dict[str, Any] = {
        "size": dimension,
        "distance": Distance.Dot,
        "memory": memory[spec.get("vector_memory", "Cached")],
    }
    config_kwargs: dict[str, Any] = {
        "payload_memory": memory[spec.get("payload_memory", "Cold")],
        "max_search_threads": spec.get("max_search_threads", os.cpu_count() or 1),
    }
    if "int8" in spec:
        config_kwargs["quantization_config"] = ScalarQuantizationConfig(
            ScalarType.Int8, quantile=0.99, memory=memory[spec["int8"]]
        )
    if "m" in spec:
        config_kwargs["hnsw_config"] = HnswIndexConfig(
            m=spec["m"], ef_construct=spec["ef_construct"], full_scan_threshold=10_000
        )
    if shard == "passages":
        return EdgeConfig(
            vectors={DENSE: EdgeVectorParams(**vector_kwargs)},
            sparse_vectors={KEYWORDS: EdgeSparseVectorParams(modifier=Modifier.Idf)},
            **config_kwargs,
        )
    return EdgeConfig(vectors=EdgeVectorParams(**vector_kwargs), **config_kwargs)


def query_inputs(data_dir: Path) -> dict[str, Any]:
    """Query vectors and texts, the brief ids similar asks about, and a filter's date range and actor."""
    from _common import settings_for

    from core.bootstrap import build_stores
    from core.models import VectorFilter

    queries = [json.loads(line)["query"] for line in (DATA / "queries.jsonl").read_text().splitlines() if line.strip()]
    stores = build_stores(settings_for(data_dir), read_only=True)
    try:
        vectors = [list(stores.embedder.embed([q])[0]) for q in queries]
        brief_ids: list[str] = []
        actors: dict[str, int] = {}
        for query, vector in zip(queries, vectors, strict=True):
            for hit in stores.vectors.search(vector, limit=60, filter=VectorFilter(kind="passage"), text=query)[:3]:
                if hit.point.brief_id not in brief_ids:
                    brief_ids.append(hit.point.brief_id)
                for actor in hit.point.actors:
                    actors[actor] = actors.get(actor, 0) + 1
    finally:
        stores.close()
    return {
        "queries": queries,
        "vectors": vectors,
        "brief_ids": brief_ids[:40],
        "actor": max(actors, key=lambda a: actors[a]),
        "date_from": "2025-03-01",
        "date_to": "2025-09-30",
    }


def measure(data_dir: Path, name: str, spec: dict[str, Any], inputs: dict[str, Any], repeat: int) -> dict[str, Any]:
    """In this process: open the folder with the variant's config, time the searches."""
    import core.adapters.edge_store as edge_store
    from core.models import VectorFilter

    meta = json.loads((data_dir / "vectors" / "briefgraph" / "store.json").read_text())
    dimension = int(meta["dimension"])
    real_shard: Any = getattr(edge_store, "EdgeShard")  # noqa: B009  # the engine's class, as the adapter uses it

    class VariantShard:  # EdgeShard.load with the variant's config; everything else as it is
        @staticmethod
        def load(path: str, config: Any = None) -> Any:
            return real_shard.load(path, config_for(name, Path(path).name, dimension, spec))

        create = staticmethod(real_shard.create)

    setattr(edge_store, "EdgeShard", VariantShard)  # noqa: B010
    result: dict[str, Any] = {"variant": name, "spec": spec}
    started = time.perf_counter()
    store = edge_store.EdgeVectorStore(collection="briefgraph", path=data_dir / "vectors", optimize_after_points=10**12)
    store.ensure_collection(dimension, meta.get("embedder"))
    result["open_s"] = round(time.perf_counter() - started, 2)
    result["rss_after_open_mib"] = round(proc_status_mib(os.getpid(), "VmRSS") or 0)
    if spec.get("rebuild"):
        started = time.perf_counter()
        store.optimize()
        result["optimize_s"] = round(time.perf_counter() - started, 1)
        result["rss_after_optimize_mib"] = round(proc_status_mib(os.getpid(), "VmRSS") or 0)
    passage = VectorFilter(kind="passage")
    filtered = VectorFilter(
        kind="passage",
        date_from=dt.date.fromisoformat(inputs["date_from"]),
        date_to=dt.date.fromisoformat(inputs["date_to"]),
        actors_all=(inputs["actor"],),
    )
    brief = VectorFilter(kind="brief")
    pairs = list(zip(inputs["queries"], inputs["vectors"], strict=True))
    for query, vector in pairs[:5]:  # warm-up
        store.search(vector, limit=60, filter=passage, text=query)
    timings: dict[str, list[float]] = {k: [] for k in ("hybrid", "dense", "filtered", "brief_point", "briefs")}
    anchors: list[list[float]] = []
    for _ in range(repeat):
        for query, vector in pairs:
            t0 = time.perf_counter()
            store.search(vector, limit=60, filter=passage, text=query)
            t1 = time.perf_counter()
            store.search(vector, limit=60, filter=passage)
            t2 = time.perf_counter()
            store.search(vector, limit=60, filter=filtered, text=query)
            t3 = time.perf_counter()
            timings["hybrid"].append(t1 - t0)
            timings["dense"].append(t2 - t1)
            timings["filtered"].append(t3 - t2)
        anchors = []
        for brief_id in inputs["brief_ids"]:
            t0 = time.perf_counter()
            anchor = store.brief_point(brief_id)
            t1 = time.perf_counter()
            assert anchor is not None, brief_id
            store.search(list(anchor.vector), limit=21, filter=brief)
            t2 = time.perf_counter()
            timings["brief_point"].append(t1 - t0)
            timings["briefs"].append(t2 - t1)
            anchors.append(list(anchor.vector))
    result.update({k: latency_summary_ms(v) for k, v in timings.items()})
    result["rss_after_searches_mib"] = round(proc_status_mib(os.getpid(), "VmRSS") or 0)
    result["peak_rss_mib"] = round(proc_status_mib(os.getpid(), "VmHWM") or 0)
    result["dense_top10_vs_exact"] = agreement(store, "passages", [v for _, v in pairs], 10)
    result["briefs_top10_vs_exact"] = agreement(store, "briefs", anchors, 10)
    store.close()
    return result


def agreement(store: Any, shard_name: str, vectors: list[list[float]], k: int) -> float:
    """Mean share of the approximate top-k scoring at least the exact top-k's last score (by score, not id: a
    replicated folder holds each vector many times, so ids tie)."""
    from qdrant_edge import Query, QueryRequest, SearchParams

    from core.adapters.vector_points import DENSE, unit

    shard = store._shards[shard_name]
    using = DENSE if shard_name == "passages" else None
    shares: list[float] = []
    for vector in vectors:
        scores = []
        for exact in (False, True):
            request = QueryRequest(
                limit=k, query=Query.Nearest(unit(vector), using=using), params=SearchParams(exact=exact)
            )
            scores.append([float(p.score) for p in shard.query(request)])
        floor = scores[1][-1] - 1e-5
        shares.append(sum(1 for score in scores[0] if score >= floor) / k)
    return round(sum(shares) / len(shares), 3) if shares else 0.0


def folder_mib(folder: Path) -> float:
    """Allocated size, as du counts it (the WAL's files are sparse)."""
    return round(sum(f.stat().st_blocks * 512 for f in folder.rglob("*") if f.is_file()) / 2**20, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--variants", nargs="*", default=["default", "payload_cached", "threads_1", "default"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copy-for-rebuild", action="store_true", help="allow variants that rebuild the index")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ["HF_HUB_OFFLINE"] = "1"
    data_dir: Path = args.data_dir.resolve()
    inputs_file = OUT / f"edge_config_inputs_{data_dir.name}.json"
    if args.child:  # one variant, in its own process
        spec = variants()[args.child]
        print(json.dumps(measure(data_dir, args.child, spec, json.loads(inputs_file.read_text()), args.repeat)))
        return 0
    if not inputs_file.is_file():
        inputs_file.write_text(json.dumps(query_inputs(data_dir)))
    results: list[dict[str, Any]] = []
    for name in args.variants:
        spec = variants()[name]
        folder = data_dir
        if spec.get("rebuild"):
            if not args.copy_for_rebuild:
                raise SystemExit(f"{name} rebuilds the index: pass --copy-for-rebuild")
            folder = OUT / f"edge_config_{name}"
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            shutil.copytree(data_dir / "vectors", folder / "vectors")
        command = [sys.executable, __file__, "--data-dir", str(folder), "--child", name, "--repeat", str(args.repeat)]
        if folder != data_dir:  # the child reads the inputs made for the source folder
            (OUT / f"edge_config_inputs_{folder.name}.json").write_text(inputs_file.read_text())
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            results.append({"variant": name, "failed": done.stderr.strip().splitlines()[-1:]})
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["vectors_mib"] = folder_mib(folder / "vectors")
        results.append(result)
        print(f"  {name}: {result}", file=sys.stderr)
    rows = []
    for r in results:
        if "failed" in r:
            rows.append([r["variant"], "failed", r["failed"], *[""] * 10])
            continue
        rows.append(
            [
                r["variant"],
                r["open_s"],
                r.get("optimize_s", ""),
                r["rss_after_open_mib"],
                r["peak_rss_mib"],
                r["vectors_mib"],
                *(f"{r[k]['p50']} / {r[k]['p95']}" for k in ("hybrid", "dense", "filtered", "brief_point", "briefs")),
                r["dense_top10_vs_exact"],
                r["briefs_top10_vs_exact"],
            ]
        )
    header = [
        "variant",
        "open s",
        "optimize s",
        "RSS open MiB",
        "peak MiB",
        "disk MiB",
        "hybrid p50/p95",
        "dense",
        "filtered",
        "brief_point",
        "briefs",
        "dense@10 exact",
        "briefs@10 exact",
    ]
    print(machine_line())
    print(table(rows, header))
    out = args.json or OUT / f"edge_config_{data_dir.name}.json"
    out.write_text(json.dumps({"machine": machine_line(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
