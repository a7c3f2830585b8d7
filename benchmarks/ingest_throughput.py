"""End-to-end ingest throughput with the real model, against the embedding-only ceiling on the same texts.

    python benchmarks/ingest_throughput.py --corpus benchmarks/out/corpus_1k.jsonl [--graph embedded|neo4j]
        [--keep benchmarks/out/data_1k] [--embedder onnx-int8|torch] [--onnx] [--limit N] [--workers N]
        [--threads N] [--ceiling-sample N]

Ingests the corpus (read -> parse -> extract -> embed -> write vectors -> write graph) through
IngestPipeline.ingest_paths into a fresh data folder (a temporary one, or --keep DIR so that query_latency.py
can serve it), with the packaged all-MiniLM-L6-v2 and spaCy models loaded before the clock starts. Prints
briefs/s overall and per stage (IngestReport.stage_seconds), the time spent inside the embedder, and then
encodes the very texts the pipeline embedded (recorded by a wrapper) in one sentence-transformers `encode` call
on torch with every core: that is the ceiling, and `ratio` = ingest briefs/s / ceiling briefs/s. With the int8
ONNX embedder (the default, --embedder) it also times that embedder alone on the same texts. Peak RSS from
getrusage. With
--workers N, extraction runs in N spawned processes ahead of embedding; the 'extract' stage is then the time the
main process waited for them, and process CPU seconds leave out the workers' own.

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

STAGES = ("parse", "extract", "embed", "write_vectors", "write_graph")


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
    from core.adapters.embedder import SentenceTransformerEmbedder, resolve_model_path
    from core.bootstrap import build_embedder, build_stores
    from ingest.pipeline import IngestPipeline

    corpus: Path = args.corpus.resolve()
    keep: Path | None = args.keep.resolve() if args.keep else None
    if keep is not None and keep.exists():
        raise SystemExit(f"{keep} exists; remove it first (a benchmark ingests into an empty folder)")
    workdir = keep or Path(tempfile.mkdtemp(prefix="bg-ingest-", dir=OUT))
    neo4j = None
    if args.graph == "neo4j":
        from tests.support.neo4j_server import start_neo4j

        neo4j = start_neo4j(workdir / "neo4j")
    settings = settings_for(workdir, graph=args.graph, neo4j_uri=neo4j.uri if neo4j else None)
    settings.embedding.backend = args.embedder
    settings.ingest.workers = args.workers  # None: the settings' default, as `briefgraph ingest` runs
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
        started, cpu_started = time.perf_counter(), time.process_time()
        report = pipeline.ingest_paths([corpus])
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
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

    # the ceiling: the same texts in one sentence-transformers encode call on torch, every core, batch 64
    import numpy as np

    texts = ceiling_texts = recorder.texts
    if args.ceiling_sample and args.ceiling_sample < len(texts):
        # every k-th text, so the sample has the corpus's length mix; its seconds are scaled to all texts
        ceiling_texts = texts[:: max(1, len(texts) // args.ceiling_sample)][: args.ceiling_sample]
    scale = len(texts) / max(1, len(ceiling_texts))
    torch_model = SentenceTransformerEmbedder(settings.embedding.model, threads=os.cpu_count() or 1)._model
    started, cpu_started = time.perf_counter(), time.process_time()
    torch_vectors = torch_model.encode(ceiling_texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    ceiling_seconds = (time.perf_counter() - started) * scale
    ceiling_cpu = (time.process_time() - cpu_started) * scale
    own_ceiling_seconds = ceiling_seconds
    if args.embedder != "torch":  # and the embedder the ingest used, alone on the same texts
        started = time.perf_counter()
        recorder._inner.embed(ceiling_texts)
        own_ceiling_seconds = (time.perf_counter() - started) * scale
    result: dict[str, Any] = {
        "machine": machine_line(),
        "corpus": str(args.corpus),
        "graph": args.graph,
        "workers": workers,
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
        "load_average_before_after": [round(load_before, 2), round(load_after, 2)],
        "briefs_per_s": round(ingested / wall, 2),
        "stage_seconds": {s: round(report.stage_seconds.get(s, 0.0), 1) for s in STAGES},
        "stage_briefs_per_s": {
            s: round(ingested / report.stage_seconds[s], 1) if report.stage_seconds.get(s) else None for s in STAGES
        },
        "other_seconds": round(wall - sum(report.stage_seconds.values()), 1),
        "embedder_seconds": round(recorder.seconds, 1),
        "ceiling_seconds": round(ceiling_seconds, 1),
        "ceiling_cpu_seconds": round(ceiling_cpu, 1),
        "ceiling_briefs_per_s": round(ingested / ceiling_seconds, 2),
        "ceiling_texts_per_s": round(len(texts) / ceiling_seconds, 1),
        "ratio_to_ceiling": round((ingested / wall) / (ingested / ceiling_seconds), 3),
        "own_embedder_alone_seconds": round(own_ceiling_seconds, 1),
        "ratio_to_own_embedder_alone": round(own_ceiling_seconds / wall, 3),
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
        result["onnx"]["torch_seconds"] = round(ceiling_seconds, 1)
        result["onnx"]["agreement"] = _agreement(np.asarray(result["onnx"].pop("vectors")), torch_vectors, np)
    if keep is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


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
        ["other (read files, hashes, outcomes)", result["other_seconds"], ""],
        ["inside embedder.embed", result["embedder_seconds"], round(n / max(result["embedder_seconds"], 1e-9), 1)],
        ["ceiling: one encode of the same texts", result["ceiling_seconds"], result["ceiling_briefs_per_s"]],
    ]
    lines = [
        result["machine"],
        f"corpus {result['corpus']}, graph {result['graph']}, workers {result.get('workers', 0)}, "
        f"embedder threads {result.get('threads') or 'default'}: "
        f"{n} briefs ingested {result['outcomes']}, "
        f"{result['texts_embedded']} texts embedded in {result['embed_calls']} calls, "
        f"{result['vector_points']} vector points, graph {result['graph_counts']}",
        f"models loaded in {result['load_seconds']} s (not counted); RSS after load {result['rss_after_load_mib']} "
        f"MiB, peak RSS {result['peak_rss_mib']} MiB",
        "",
        table(rows, ["step", "seconds", "briefs/s"]),
        "",
        f"ratio to the embedding-only ceiling: {result['ratio_to_ceiling']:.0%} (target >= 70%); ceiling "
        f"{result['ceiling_texts_per_s']} texts/s" + _sampled_note(result),
        f"process CPU seconds: ingest {result['cpu_seconds']}, ceiling {result['ceiling_cpu_seconds']} "
        f"(ratio by CPU time {result.get('ratio_to_ceiling_cpu')}); "
        f"1-min load average before/after ingest {result['load_average_before_after']}",
    ]
    if result.get("embedder", "").endswith("(onnx-int8)"):
        lines.append(
            f"the embedder the ingest used ({result['embedder']}) alone on the same texts: "
            f"{result['own_embedder_alone_seconds']} s; ratio to it {result['ratio_to_own_embedder_alone']:.0%}"
        )
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
        "--embedder", choices=["onnx-int8", "torch"], default="onnx-int8", help="EMBEDDING__BACKEND for the ingest"
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
