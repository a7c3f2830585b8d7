"""The same extracted briefs in the embedded graph (LadybugDB) and in Neo4j: load time and read/write latency.

    python benchmarks/graph_backends.py --corpus benchmarks/out/corpus_1k.jsonl [--limit 1000] [--reads 50]
        [--backends embedded neo4j] [--replicate 10000]

Parses and extracts the corpus once (cached in benchmarks/out/extracted_<name>_<limit>.pickle; no embedding),
then for each backend, in a fresh store: apply the schema, write all but the last 50 briefs with replace_brief
(the initial load, briefs/s), and time, each --reads times over a handful of inputs chosen from the data
(the densest dyads, pairs of actors 2 and 3 hops apart, the most connected actors):

  dyad          interactions(a, b) (the API's default limit 500)
  dyad_50       interactions(a, b, limit=50)
  counterparts  counterparts(a, 10)
  actor         get_actor(a)
  paths_3       paths(a, b, max_hops=3, limit=5)
  write_new     replace_brief of one of the 50 held-back briefs (not stored yet)
  write_again   replace_brief of a stored brief (removes its previous contribution first)

--replicate N re-keys copies of the extracted briefs (new brief and interaction ids, same content) up to N
briefs, to see how writes and reads scale without extracting N briefs; the load is reported per segment of
1,000 briefs (briefs/s as the graph grows).

--unwind-check times only the README's claim about LadybugDB writes: the interactions of the first 300 briefs
written as one `UNWIND $rows ... MATCH ... CREATE` statement against the same statement run row by row
(one statement per row), each in one transaction on a fresh database (in memory, then on disk) holding those
briefs' actors; then the first 500 briefs written with the adapter as it is (UNWIND, batches of 32 briefs).

Neo4j runs in a JVM started by tests/support/neo4j_server.py (build it with `bash .ci/build-neo4j-harness.sh`;
heap 512 MiB, as the test suite runs it) and is reached over Bolt on 127.0.0.1; LadybugDB runs in-process.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from _common import OUT, latency_summary_ms, machine_line, table

HELD_BACK = 50


def extracted_corpus(corpus: Path, limit: int | None) -> list[Any]:
    cache = OUT / f"extracted_{corpus.stem}_{limit or 'all'}.pickle"
    if cache.is_file():
        with cache.open("rb") as handle:
            cached: list[Any] = pickle.load(handle)
        return cached
    from core.registry import ActorRegistry
    from ingest.extraction import Extractor, load_nlp
    from ingest.parse import parse_brief
    from ingest.sources import read_file

    raws = read_file(corpus, max(corpus.stat().st_size + 1, 20_000_000))[:limit]
    briefs = [parse_brief(raw)[0] for raw in raws]
    started = time.perf_counter()
    extracted = list(Extractor(ActorRegistry.load(), load_nlp()).extract_many(briefs))
    print(f"extracted {len(extracted)} briefs in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with cache.open("wb") as handle:
        pickle.dump(extracted, handle)
    return extracted


def replicate(extracted: Sequence[Any], count: int) -> list[Any]:
    """`count` briefs: the originals, then re-keyed copies (brief id and interaction ids suffixed)."""
    out = list(extracted)
    copy = 0
    while len(out) < count:
        copy += 1
        for item in extracted[: count - len(out)]:
            brief = item.brief.model_copy(update={"id": f"{item.brief.id}-r{copy}"})
            interactions = tuple(
                i.model_copy(update={"id": f"{i.id}-r{copy}", "brief_id": brief.id}) for i in item.interactions
            )
            out.append(item.model_copy(update={"brief": brief, "interactions": interactions}))
    return out


def choose_inputs(extracted: Sequence[Any]) -> dict[str, list[tuple[str, ...]]]:
    dyads: Counter[tuple[str, str]] = Counter()
    degree: Counter[str] = Counter()
    neighbours: dict[str, set[str]] = defaultdict(set)
    for item in extracted:
        for i in item.interactions:
            if i.source_id == i.target_id:
                continue
            a, b = sorted((i.source_id, i.target_id))
            dyads[(a, b)] += 1
            degree.update((i.source_id, i.target_id))
            neighbours[i.source_id].add(i.target_id)
            neighbours[i.target_id].add(i.source_id)
    hubs = [a for a, _ in degree.most_common(8)]

    def distance(a: str, b: str) -> int | None:
        seen, frontier = {a}, {a}
        for hops in range(1, 4):
            frontier = {n for f in frontier for n in neighbours[f]} - seen
            if b in frontier:
                return hops
            seen |= frontier
        return None

    actors = sorted(neighbours)
    rng = random.Random(3)
    by_distance: dict[int, list[tuple[str, ...]]] = defaultdict(list)
    for a, b in itertools.islice((tuple(rng.sample(actors, 2)) for _ in iter(int, 1)), 5_000):
        d = distance(a, b)
        if d in (2, 3) and len(by_distance[d]) < 4:
            by_distance[d].append((a, b))
    return {
        "dyads": [tuple(pair) for pair, _ in dyads.most_common(5)],
        "hubs": [(a,) for a in hubs[:5]],
        "paths": by_distance[2] + by_distance[3] + [tuple(pair) for pair, _ in dyads.most_common(2)],
    }


def open_backend(name: str, workdir: Path) -> tuple[Any, Callable[[], None]]:
    if name == "embedded":
        from core.adapters.embedded_graph import EmbeddedGraphStore

        store = EmbeddedGraphStore(workdir / "graph", query_timeout_s=120)
        return store, store.close
    from core.adapters.neo4j_graph import Neo4jGraphStore
    from tests.support.neo4j_server import start_neo4j

    server = start_neo4j(workdir / "neo4j")
    neo = Neo4jGraphStore(server.uri, server.user, server.password, query_timeout_s=120)

    def close() -> None:
        neo.close()
        server.stop()

    return neo, close


def timed(action: Callable[[], Any], repeats: int) -> list[float]:
    out: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        out.append(time.perf_counter() - started)
    return out


def run_backend(
    name: str, extracted: Sequence[Any], chosen: dict[str, list[tuple[str, ...]]], reads: int
) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix=f"bg-graph-{name}-", dir=OUT))
    store, close = open_backend(name, workdir)
    result: dict[str, Any] = {}
    try:
        store.apply_schema()
        load, held = extracted[:-HELD_BACK], extracted[-HELD_BACK:]
        started = segment_started = time.perf_counter()
        curve: list[list[float]] = []
        for number, item in enumerate(load, start=1):
            store.replace_brief(item)
            if number % 1_000 == 0:
                now = time.perf_counter()
                curve.append([number, round(1_000 / (now - segment_started), 1)])
                segment_started = now
        seconds = time.perf_counter() - started
        result["load_curve"] = curve
        result["load"] = {
            "briefs": len(load),
            "seconds": round(seconds, 1),
            "briefs_per_s": round(len(load) / seconds, 1),
        }
        result["counts"] = store.counts().model_dump()
        print(f"  {name}: loaded {result['load']} {result['counts']}", file=sys.stderr)

        def cycle(inputs: Sequence[tuple[str, ...]], action: Callable[..., Any]) -> list[float]:
            samples: list[float] = []
            per_input = max(1, reads // max(1, len(inputs)))
            for args in inputs:
                action(*args)  # warm-up (caches, query plans)
                samples += timed(lambda args=args: action(*args), per_input)  # type: ignore[misc]
            return samples

        ops: dict[str, list[float]] = {
            "dyad": cycle(chosen["dyads"], lambda a, b: store.interactions(a, b)),
            "dyad_50": cycle(chosen["dyads"], lambda a, b: store.interactions(a, b, limit=50)),
            "counterparts": cycle(chosen["hubs"], lambda a: store.counterparts(a, 10)),
            "actor": cycle(chosen["hubs"], lambda a: store.get_actor(a)),
            "paths_3": cycle(chosen["paths"], lambda a, b: store.paths(a, b, 3, 5)),
        }
        ops["write_new"] = [timed(lambda item=item: store.replace_brief(item), 1)[0] for item in held]  # type: ignore[misc]
        again = list(load[: len(held)])
        ops["write_again"] = [timed(lambda item=item: store.replace_brief(item), 1)[0] for item in again]  # type: ignore[misc]
        result["ops"] = {op: latency_summary_ms(samples) for op, samples in ops.items()}
        result["dyad_rows"] = [len(store.interactions(a, b)) for a, b in chosen["dyads"]]
    finally:
        close()
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def render(result: dict[str, Any]) -> str:
    backends = list(result["backends"])
    lines = [result["machine"], f"corpus {result['corpus']}: {result['briefs']} extracted briefs", ""]
    if result.get("replicate"):
        lines[1] += f" (re-keyed copies of the corpus up to {result['replicate']})"
    load_rows = [[b, *result["backends"][b]["load"].values(), result["backends"][b]["counts"]] for b in backends]
    lines.append(table(load_rows, ["backend", "briefs loaded", "seconds", "briefs/s", "graph counts"]))
    lines.append("")
    curves = {b: dict(result["backends"][b]["load_curve"]) for b in backends}
    marks = sorted({m for c in curves.values() for m in c})
    if len(marks) > 1:
        lines.append("load speed as the graph grows (briefs/s over each 1,000 briefs written, ending at):")
        lines.append(table([[int(m), *(curves[b].get(m, "") for b in backends)] for m in marks], ["briefs", *backends]))
        lines.append("")
    ops = list(result["backends"][backends[0]]["ops"])
    rows = []
    for op in ops:
        row: list[object] = [op]
        for b in backends:
            s = result["backends"][b]["ops"][op]
            row += [s["p50"], s["p95"]]
        rows.append(row)
    header = ["operation", *(f"{b} {p}" for b in backends for p in ("p50 ms", "p95 ms"))]
    lines.append(table(rows, header))
    lines.append("")
    lines.append(f"inputs: {json.dumps(result['inputs'])}")
    for b in backends:
        lines.append(f"{b}: rows returned by dyad (limit 500) per dyad: {result['backends'][b]['dyad_rows']}")
    return "\n".join(lines)


def _per_row(unwind_statement: str) -> str:
    """`UNWIND $rows AS row MERGE (a {id: row.id})` -> `MERGE (a {id: $id})`: the row-by-row way of writing."""
    return re.sub(r"\brow\.(\w+)", r"$\1", unwind_statement.removeprefix("UNWIND $rows AS row "))


def unwind_check(extracted: Sequence[Any]) -> dict[str, Any]:
    from core.adapters.cypher_graph import _CREATE_INTERACTION, _MERGE_ACTOR, _actor_row, _interaction_row
    from core.adapters.embedded_graph import EmbeddedGraphStore

    items = extracted[:300]
    actors = {a.id: a for item in items for a in item.actors}
    rows = [_interaction_row(i) for item in items for i in item.interactions]
    result: dict[str, Any] = {"edges": len(rows)}
    for label, on_disk in (("unwind", False), ("per_row", False), ("unwind_on_disk", True), ("per_row_on_disk", True)):
        folder = Path(tempfile.mkdtemp(prefix="bg-unwind-", dir=OUT)) if on_disk else None
        store = EmbeddedGraphStore(folder / "graph" if folder else None, query_timeout_s=600)
        store.apply_schema()
        store._write(
            [(_MERGE_ACTOR, [_actor_row(a.id, a.name, a.kind.value, a.code, a.aliases) for a in actors.values()])]
        )
        started = time.perf_counter()
        with store._lock:
            store._execute("BEGIN TRANSACTION", None)
            if label.startswith("per_row"):
                for row in rows:
                    store._execute(_per_row(_CREATE_INTERACTION), row)
            else:
                store._execute(_CREATE_INTERACTION, {"rows": rows})
            store._execute("COMMIT", None)
        seconds = time.perf_counter() - started
        result[label] = {"seconds": round(seconds, 2), "edges_per_s": round(len(rows) / seconds, 1)}
        store.close()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)

    store = EmbeddedGraphStore(None, query_timeout_s=600)  # the adapter as it is: UNWIND, batches of 32 briefs
    store.apply_schema()
    started = time.perf_counter()
    for start in range(0, 500, 32):
        store.replace_briefs(extracted[start : min(start + 32, 500)])
    seconds = time.perf_counter() - started
    result["replace_briefs_32"] = {"briefs_per_s": round(500 / seconds, 1), "counts": store.counts().model_dump()}
    store.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--reads", type=int, default=50, help="timed calls per read operation")
    parser.add_argument("--backends", nargs="+", choices=["embedded", "neo4j"], default=["embedded", "neo4j"])
    parser.add_argument("--replicate", type=int, help="grow the corpus to N briefs with re-keyed copies")
    parser.add_argument("--unwind-check", action="store_true", help="only time UNWIND vs row-by-row edge writes")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    extracted = extracted_corpus(args.corpus.resolve(), args.limit)
    if args.unwind_check:
        print(machine_line())
        print(json.dumps(unwind_check(extracted)))
        return 0
    if args.replicate:
        extracted = replicate(extracted, args.replicate)
    chosen = choose_inputs(extracted[:-HELD_BACK])
    result: dict[str, Any] = {
        "machine": machine_line(),
        "corpus": str(args.corpus),
        "briefs": len(extracted),
        "replicate": args.replicate,
        "inputs": chosen,
        "backends": {b: run_backend(b, extracted, chosen, args.reads) for b in args.backends},
    }
    size = args.replicate or args.limit or "all"
    out: Path = args.json or OUT / f"graph_backends_{args.corpus.stem}_{size}.json"
    out.write_text(json.dumps(result, indent=2))
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
