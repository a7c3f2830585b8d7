"""End-to-end ingest throughput with the real model, against the fastest embedding-only ceiling on the same texts.

    python benchmarks/ingest_throughput.py --corpus benchmarks/out/corpus_1k.jsonl [--graph embedded|neo4j]
        [--keep benchmarks/out/data_1k] [--embedder auto|onnx-int8|onnx-fp32|torch] [--onnx] [--limit N]
        [--workers N] [--worker-nice N] [--threads N] [--ceiling-sample N]

Ingests the corpus (read -> parse -> extract -> embed -> write vectors -> write graph) through
IngestPipeline.ingest_paths into a fresh data folder (a temporary one, or --keep DIR so that query_latency.py
can serve it), configured as `briefgraph ingest` runs by default (the embedder a new folder gets: --embedder
auto, the probe's choice; the embedder on every core, the extraction workers at a lower priority), with the
models loaded before the clock starts. Prints the machine with its CPU flags, the probe's decision, briefs/s
overall and per stage (IngestReport.stage_seconds), the time spent inside the embedder, and then the
embedding-only ceilings: the very texts the pipeline embedded (recorded by a wrapper) encoded by each backend
alone on every core (torch: one sentence-transformers `encode`, batch 64; int8 ONNX one text per run; float ONNX
batched). `ratio` = ingest briefs/s / the FASTEST ceiling's briefs/s. Peak RSS from getrusage. With --workers N,
extraction runs in N spawned processes ahead of embedding; the 'extract' stage is then the time the main process
waited for them; the workers' CPU seconds are reported apart (from getrusage of the reaped children), and
`cpu_bound_briefs_per_s` = briefs / (all CPU seconds / cores) is what the ingest would reach with every core busy
all the time (the most any layout of the work could give: a shared machine disturbs it far less than wall time).

--onnx also compares the int8 ONNX embedder (core/adapters/onnx_embedder.py) with torch on the same texts:
export time, seconds, speed-up, cosine agreement with the torch vectors, and whether sentence-transformers' own
backend="onnx" loads.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from _common import OUT, machine_line, peak_rss_mib, proc_status_mib, settings_for, table

STAGES = ("parse", "copies", "extract", "embed", "write_vectors", "write_graph")


class RecordingEmbedder:
    """Wraps the real embedder: remembers every text it is asked to embed and the time spent inside it."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.texts: list[str] = []
        self.calls = 0
        self.seconds = 0.0

    @property
    def dimension(self) -> int:
        return int(self._inner.dimension)

    @property
    def name(self) -> str:
        return str(self._inner.name)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return list(self._inner.embed(texts))
        finally:
            self.seconds += time.perf_counter() - started
            self.calls += 1
            self.texts.extend(texts)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from core.adapters.embedder import resolve_model_path
    from core.bootstrap import build_embedder, build_stores, probe_backend, with_backend
    from ingest.pipeline import IngestPipeline

    corpus: Path = args.corpus.resolve()
    keep: Path | None = args.keep.resolve() if args.keep else None
    if keep is not None and keep.exists():
        raise SystemExit(f"{keep} exists; remove it first (a benchmark ingests into an empty folder)")
    workdir = keep or Path(tempfile.mkdtemp(prefix="bg-ingest-", dir=OUT))
    workdir.mkdir(parents=True, exist_ok=True)  # --keep names a folder that does not exist yet
    neo4j = None
    if args.graph == "neo4j":
        from tests.support.neo4j_server import start_neo4j

        neo4j = start_neo4j(workdir / "neo4j")
    settings = settings_for(workdir, graph=args.graph, neo4j_uri=neo4j.uri if neo4j else None)
    probe, probe_seconds = None, 0.0
    if args.embedder == "auto":  # what a new folder gets, as briefgraph ingest decides it (cached per machine)
        started = time.perf_counter()
        probe = probe_backend(settings)
        probe_seconds = time.perf_counter() - started
        settings = with_backend(settings, probe.backend)
    else:
        settings = with_backend(settings, args.embedder)
    settings.ingest.workers = args.workers  # None: the settings' default, as `briefgraph ingest` runs
    if args.worker_nice is not None:
        settings.ingest.worker_nice = args.worker_nice
    workers = settings.ingest.extraction_workers()
    threads = args.threads or settings.ingest.embedding_threads()
    settings.ingest.max_file_bytes = max(settings.ingest.max_file_bytes, corpus.stat().st_size + 1)
    if args.limit:
        limited = workdir / f"limit_{args.limit}.jsonl"
        with corpus.open(encoding="utf-8") as source:
            limited.write_text("".join(line for _, line in zip(range(args.limit), source, strict=False)))
        corpus = limited

    started = time.perf_counter()
    recorder = RecordingEmbedder(build_embedder(settings, default_threads=threads))
    stores = build_stores(settings, embedder=recorder)
    pipeline = IngestPipeline(stores, workers=workers)
    _ = pipeline.extractor  # load spaCy now, not inside the first 'extract' timing (workers load their own)
    load_seconds = time.perf_counter() - started
    rss_loaded = proc_status_mib(os.getpid(), "VmRSS")
    try:
        load_before = os.getloadavg()[0]
        children_before = _children_cpu()
        started, cpu_started = time.perf_counter(), time.process_time()
        report = pipeline.ingest_paths([corpus])
        build_started = time.perf_counter()
        stores.vectors.optimize()  # what `briefgraph ingest` ends with: the final index build and segment merge
        final_build = time.perf_counter() - build_started
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        workers_cpu = _children_cpu() - children_before  # the extraction workers, reaped when the pool closed
        load_after = os.getloadavg()[0]
        counts = stores.graph.counts()
        points = stores.vectors.count()
    finally:
        stores.close()
        if neo4j is not None:
            neo4j.stop()
    ingest_rss = peak_rss_mib()
    ingested = len(report.of("ingested"))
    if report.of("failed") or not ingested:
        print(report.summary()[:2000], file=sys.stderr)

    # the ceilings: the same texts embedded by each backend alone, every core
    import numpy as np

    texts = ceiling_texts = recorder.texts
    if args.ceiling_sample and args.ceiling_sample < len(texts):
        # every k-th text, so the sample has the corpus's length mix; its seconds are scaled to all texts
        ceiling_texts = texts[:: max(1, len(texts) // args.ceiling_sample)][: args.ceiling_sample]
    scale = len(texts) / max(1, len(ceiling_texts))
    ceilings, torch_vectors = measure_ceilings(settings.embedding.model, ceiling_texts, scale, ingested)
    fastest = min(ceilings, key=lambda name: ceilings[name]["seconds"])
    ceiling_seconds = ceilings[fastest]["seconds"]
    ceiling_cpu = ceilings[fastest]["cpu_seconds"]
    result: dict[str, Any] = {
        "machine": machine_line(),
        "corpus": str(args.corpus),
        "graph": args.graph,
        "probe": probe.describe() if probe else f"not run: --embedder {args.embedder}",
        "probe_seconds": round(probe_seconds, 1) if probe and not probe.cached else None,
        "workers": workers,
        "worker_nice": settings.ingest.worker_nice,
        "threads": threads,
        "embedder": recorder.name,
        "briefs_ingested": ingested,
        "outcomes": {s: len(report.of(s)) for s in ("ingested", "unchanged", "skipped", "failed")},
        "graph_counts": counts.model_dump(),
        "vector_points": points,
        "texts_embedded": len(texts),
        "ceiling_texts_timed": len(ceiling_texts),
        "embed_calls": recorder.calls,
        "load_seconds": round(load_seconds, 1),
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "workers_cpu_seconds": round(workers_cpu, 1),
        "cpu_bound_briefs_per_s": round(ingested / ((cpu + workers_cpu) / (os.cpu_count() or 1)), 2),
        "load_average_before_after": [round(load_before, 2), round(load_after, 2)],
        "briefs_per_s": round(ingested / wall, 2),
        "stage_seconds": {s: round(report.stage_seconds.get(s, 0.0), 1) for s in STAGES},
        "stage_briefs_per_s": {
            s: round(ingested / report.stage_seconds[s], 1) if report.stage_seconds.get(s) else None for s in STAGES
        },
        "final_build_seconds": round(final_build, 1),
        "other_seconds": round(wall - final_build - sum(report.stage_seconds.values()), 1),
        "embedder_seconds": round(recorder.seconds, 1),
        "ceilings": ceilings,
        "fastest_ceiling": fastest,
        "ceiling_seconds": round(ceiling_seconds, 1),
        "ceiling_cpu_seconds": round(ceiling_cpu, 1),
        "ceiling_briefs_per_s": round(ingested / ceiling_seconds, 2),
        "ceiling_texts_per_s": round(len(texts) / ceiling_seconds, 1),
        "ratio_to_ceiling": round(ceiling_seconds / wall, 3),
        "ratio_to_torch_ceiling": round(ceilings["torch"]["seconds"] / wall, 3),
        # the same ratio in process CPU seconds, which other jobs on a shared machine disturb far less than wall
        "ratio_to_ceiling_cpu": round(ceiling_cpu / cpu, 3) if cpu else None,
        "rss_after_load_mib": round(rss_loaded or 0.0),
        "peak_rss_mib": round(ingest_rss),
        "data_dir": str(workdir) if keep else None,
    }
    if args.onnx:
        result["onnx"] = compare_onnx(
            settings.embedding.model, resolve_model_path(settings.embedding.model), ceiling_texts
        )
        result["onnx"]["torch_seconds"] = round(ceilings["torch"]["seconds"] / scale, 1)
        result["onnx"]["agreement"] = _agreement(np.asarray(result["onnx"].pop("vectors")), torch_vectors, np)
    if keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_ceilings(model: str, texts: list[str], scale: float, briefs: int) -> tuple[dict[str, dict[str, Any]], Any]:
    """Each backend alone on `texts` with every core (after a short warm-up), seconds scaled by `scale` to all
    the texts the ingest embedded; and torch's vectors (for --onnx). Loaded here, after the ingest, one at a time."""
    import gc

    from core.adapters.embedder import SentenceTransformerEmbedder
    from core.adapters.onnx_embedder import OnnxEmbedder

    cores = os.cpu_count() or 1
    ceilings: dict[str, dict[str, Any]] = {}
    torch_vectors: Any = None
    for backend in ("onnx-int8", "onnx-fp32", "torch"):
        if backend == "torch":
            model_obj = SentenceTransformerEmbedder(model, threads=cores)._model

            def encode(batch: list[str], model_obj: Any = model_obj) -> Any:
                return model_obj.encode(batch, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)

        else:
            embedder = OnnxEmbedder(model, threads=cores, precision="int8" if backend == "onnx-int8" else "fp32")
            encode = embedder.encode
        encode(texts[:32])  # warm-up
        started, cpu_started = time.perf_counter(), time.process_time()
        vectors = encode(texts)
        seconds = (time.perf_counter() - started) * scale
        cpu_seconds = (time.process_time() - cpu_started) * scale
        if backend == "torch":
            torch_vectors = vectors
        ceilings[backend] = {
            "seconds": round(seconds, 1),
            "cpu_seconds": round(cpu_seconds, 1),
            "texts_per_s": round(len(texts) * scale / seconds, 1),
            "briefs_per_s": round(briefs / seconds, 2),
        }
        del encode
        gc.collect()
    return ceilings, torch_vectors


def onnx_backend_error(model_dir: Path) -> str | None:
    """Try sentence-transformers' own ONNX backend; None if it loads, else why not (first line of the error)."""
    try:
        from sentence_transformers import SentenceTransformer

        SentenceTransformer(str(model_dir), backend="onnx", local_files_only=True)
    except Exception as error:  # any failure is the finding we report
        return f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
    return None


def compare_onnx(model: str, model_dir: Path, texts: list[str]) -> dict[str, Any]:
    """The project's int8 ONNX embedder (core/adapters/onnx_embedder.py) on the same texts: export time into a
    fresh cache, speed with every core, and its vectors for the agreement with torch."""
    from core.adapters.onnx_embedder import OnnxEmbedder

    found: dict[str, Any] = {"sentence_transformers_backend_onnx": onnx_backend_error(model_dir) or "loads"}
    with tempfile.TemporaryDirectory(dir=OUT) as cache:
        started = time.perf_counter()
        embedder = OnnxEmbedder(model, cache_dir=Path(cache))
        found["export_seconds"] = round(time.perf_counter() - started, 1)
    embedder.encode(texts[:64])  # warm-up
    started = time.perf_counter()
    found["vectors"] = embedder.encode(texts)
    found["onnx_int8_seconds"] = round(time.perf_counter() - started, 1)
    return found


def _agreement(vectors: Any, torch_vectors: Any, np: Any) -> dict[str, Any]:
    cosine = (vectors * torch_vectors).sum(axis=1)
    return {
        "cosine_mean": f"{float(cosine.mean()):.6f}",
        "cosine_min": f"{float(cosine.min()):.6f}",
        "top1_agreement": _top1_agreement(vectors, torch_vectors, np),
    }


def _top1_agreement(a: Any, b: Any, np: Any, queries: int = 300) -> float:
    """Share of texts whose nearest other text is the same under both vector sets (a retrieval-level check)."""
    n = min(queries, len(a))
    if n < 2:
        return 1.0
    sims_a = a[:n] @ a.T
    sims_b = b[:n] @ b.T
    for i in range(n):
        sims_a[i, i] = sims_b[i, i] = -2.0
    return round(float((sims_a.argmax(axis=1) == sims_b.argmax(axis=1)).mean()), 3)


def render(result: dict[str, Any]) -> str:
    n = result["briefs_ingested"]
    rows: list[list[object]] = [["overall (wall)", result["wall_seconds"], result["briefs_per_s"]]]
    rows += [[f"stage {s}", result["stage_seconds"][s], result["stage_briefs_per_s"][s]] for s in STAGES]
    rows += [
        ["final index build (optimize(), as the CLI ends)", result.get("final_build_seconds", ""), ""],
        ["other (read files, hashes, outcomes)", result["other_seconds"], ""],
        ["inside embedder.embed", result["embedder_seconds"], round(n / max(result["embedder_seconds"], 1e-9), 1)],
    ]
    rows += [
        [
            f"ceiling: {name} alone, every core" + (" (fastest)" if name == result["fastest_ceiling"] else ""),
            ceiling["seconds"],
            ceiling["briefs_per_s"],
        ]
        for name, ceiling in result["ceilings"].items()
    ]
    lines = [
        result["machine"],
        f"embedder {result['embedder']}; probe: {result['probe']}"
        + (f" ({result['probe_seconds']} s, before the clock)" if result.get("probe_seconds") else ""),
        f"corpus {result['corpus']}, graph {result['graph']}, workers {result.get('workers', 0)} "
        f"(nice +{result.get('worker_nice', 0)}), embedder threads {result.get('threads') or 'default'}: "
        f"{n} briefs ingested {result['outcomes']}, "
        f"{result['texts_embedded']} texts embedded in {result['embed_calls']} calls, "
        f"{result['vector_points']} vector points, graph {result['graph_counts']}",
        f"models loaded in {result['load_seconds']} s (not counted); RSS after load {result['rss_after_load_mib']} "
        f"MiB, peak RSS {result['peak_rss_mib']} MiB",
        "",
        table(rows, ["step", "seconds", "briefs/s"]),
        "",
        f"ratio to the fastest embedding-only ceiling ({result['fastest_ceiling']}): "
        f"{result['ratio_to_ceiling']:.0%} (target >= 85%); ceiling {result['ceiling_texts_per_s']} texts/s"
        + _sampled_note(result)
        + f"; ratio to the torch ceiling {result['ratio_to_torch_ceiling']:.0%}",
        f"CPU seconds: ingest {result['cpu_seconds']} + extraction workers {result['workers_cpu_seconds']} "
        f"(every core busy all along would give {result['cpu_bound_briefs_per_s']} briefs/s), "
        f"ceiling {result['ceiling_cpu_seconds']} "
        f"(ratio by CPU time {result.get('ratio_to_ceiling_cpu')}); "
        f"1-min load average before/after ingest {result['load_average_before_after']}",
    ]
    if "onnx" in result:
        onnx = result["onnx"]
        agreement = onnx["agreement"]
        lines += [
            "",
            f"sentence-transformers backend='onnx': {onnx['sentence_transformers_backend_onnx']}",
            f"int8 ONNX export + quantisation into an empty cache: {onnx['export_seconds']} s (once per machine)",
            table(
                [
                    ["torch (sentence-transformers, batch 64)", onnx["torch_seconds"], "1.00", "1", "1", "1"],
                    [
                        "onnx-int8 (one text per run)",
                        onnx["onnx_int8_seconds"],
                        f"{onnx['torch_seconds'] / max(onnx['onnx_int8_seconds'], 1e-9):.2f}",
                        agreement["cosine_mean"],
                        agreement["cosine_min"],
                        agreement["top1_agreement"],
                    ],
                ],
                ["embedder", "seconds", "speed-up", "cos mean", "cos min", "top-1 same"],
            ),
        ]
    return "\n".join(lines)


def _sampled_note(result: dict[str, Any]) -> str:
    timed, total = result.get("ceiling_texts_timed", result["texts_embedded"]), result["texts_embedded"]
    return "" if timed >= total else f" (timed on {timed} of the {total} texts, every k-th, and scaled)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--graph", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--keep", type=Path, help="ingest into this (new) folder and keep it")
    parser.add_argument("--limit", type=int, help="only the first N briefs of the corpus")
    parser.add_argument(
        "--embedder",
        choices=["auto", "onnx-int8", "onnx-fp32", "torch"],
        default="auto",
        help="EMBEDDING__BACKEND for the ingest (auto: the probe's choice, as for a new folder)",
    )
    parser.add_argument("--onnx", action="store_true", help="also compare the int8 ONNX embedder with torch")
    parser.add_argument(
        "--workers",
        type=int,
        help="extraction processes running ahead of embedding (INGEST__WORKERS; default: as briefgraph ingest)",
    )
    parser.add_argument(
        "--ceiling-sample",
        type=int,
        help="time the ceilings on N of the embedded texts (every k-th) and scale; default: all of them",
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        help="extraction workers' lower priority (INGEST__WORKER_NICE; 0: same as the embedder)",
    )
    parser.add_argument("--threads", type=int, help="embedder threads (EMBEDDING__THREADS; default: as ingest)")
    parser.add_argument("--json", type=Path, help="also write the result as JSON here")
    args = parser.parse_args(argv)
    result = run(args)
    out = args.json or OUT / f"ingest_{args.corpus.stem}_{args.graph}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
