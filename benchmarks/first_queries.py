"""Search latency right after the API starts: queries asked for the first time against the same queries again.

    python benchmarks/first_queries.py --data-dir benchmarks/out/edge_100k [--wait-s 8] [--corpus FILE]

Starts the API on the folder (as query_latency.py does), waits --wait-s seconds after /readyz answers, then sends
GET /search?k=10 at concurrency 1: the 44 labelled queries (first time), 100 brief titles from the corpus that
were not asked before, then the 44 queries again, and prints p50 / p95 ms of each group. A gap between "first"
and "again" is what a restarted server costs its first users (Qdrant Edge drops its files from the page cache
when a store closes; the API reads them back in the background, VectorStore.warm_cache). To compare without that
read, run this script from a checkout before bbb1f43; with the read after start rather than while the store opens,
from 45b045f^.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import httpx
from _common import DATA, OUT, latency_summary_ms, machine_line
from query_latency import free_port, start_api, stop_api


def _timed(base: str, queries: list[str]) -> dict[str, float]:
    latencies = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for query in queries:
            started = time.perf_counter()
            response = client.get("/search", params={"q": query, "k": 10})
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()
    return latency_summary_ms(latencies)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--wait-s", type=float, default=0.0, help="seconds between /readyz and the first query")
    parser.add_argument("--corpus", type=Path, default=OUT / "corpus_1k.jsonl", help="titles are read from it")
    args = parser.parse_args(argv)
    queries = [json.loads(line)["query"] for line in (DATA / "queries.jsonl").read_text().splitlines() if line]
    with args.corpus.open(encoding="utf-8") as corpus:
        titles = [json.loads(line)["title"] for line, _ in zip(corpus, range(400), strict=False)][300:400]
    port = free_port()
    started = time.perf_counter()
    process = start_api(args.data_dir.resolve(), port)
    ready_s = time.perf_counter() - started
    try:
        time.sleep(args.wait_s)
        base = f"http://127.0.0.1:{port}"
        groups = {"queries, first time": queries, "new titles": titles, "queries again": queries}
        results = {name: _timed(base, texts) for name, texts in groups.items()}
    finally:
        stop_api(process)
    print(machine_line())
    print(f"data {args.data_dir}, ready after {ready_s:.1f} s, first query {args.wait_s:.0f} s later")
    for name, summary in results.items():
        print(f"  {name:20s} p50 {summary['p50']:6.1f} ms   p95 {summary['p95']:6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
