"""A bounded load test of the read API: N concurrent clients for a fixed time against an API on 127.0.0.1,
with a mix of the read endpoints an analyst uses. It prints the number of requests, the errors (anything but a
2xx, and connection failures: there must be none), latency percentiles overall and per endpoint, and the
server's resident memory after start, after a warm-up and at the end (memory must not keep growing).

By default it builds everything itself: ingests `examples/briefs` (and ../shared/briefs when present) into a
fresh data folder under benchmarks/out/ with `briefgraph ingest`, starts `briefgraph serve` on a free port of
127.0.0.1 with the real embedding model, waits for /readyz, runs the load, stops the server. With --url it
loads an API that is already running (memory is then not read unless --pid is given).

    python benchmarks/load_test.py                                 # 16 clients, 60 s
    python benchmarks/load_test.py --concurrency 32 --duration 120 --json benchmarks/out/load.json
    python benchmarks/load_test.py --url http://127.0.0.1:8000 --duration 30

Exit status 1 when any request failed or the server's memory grew by more than --max-rss-growth-mib between the
end of the warm-up and the end of the run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from _common import EXAMPLES, OUT, REPO, latency_summary_ms, machine_line, proc_status_mib, table

SHARED_BRIEFS = REPO.parent / "shared" / "briefs"
QUERIES = [
    "Turkey Israel deconfliction talks in Baku",
    "Israeli airstrikes on airbases in Syria",
    "Hezbollah ceasefire violations in southern Lebanon",
    "Houthi attacks on ships in the Red Sea",
    "Iran nuclear talks mediated by Oman",
    "PKK disarmament and dissolution",
    "SDF integration into the Syrian army",
    "sanctions relief for Syria",
    "hostage release and Gaza ceasefire",
    "IAEA inspections suspended by Iran",
]
QUESTIONS = [
    "How have Turkey and Israel interacted over Syria since March 2025?",
    "What did the United States do against the Houthis?",
    "How did Israel and Hezbollah interact after the ceasefire?",
    "What happened between Iran and the IAEA in 2025?",
]
DYADS = [("TUR", "ISR"), ("ISR", "SYR"), ("USA", "IRN"), ("ISR", "LBN"), ("TUR", "SYR")]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def record(self, name: str, seconds: float, problem: str | None) -> None:
        self.latencies[name].append(seconds)
        if problem:
            self.errors[name] += 1
            if len(self.examples) < 10:
                self.examples.append(f"{name}: {problem}")


def request_mix(brief_ids: list[str]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(name, method, path, httpx keyword arguments) of every request in the mix; the clients pick at random."""
    mix: list[tuple[str, str, str, dict[str, Any]]] = []
    for query in QUERIES:
        mix.append(("search", "GET", "/search", {"params": {"q": query, "k": 5}}))
    mix.append(
        ("search filtered", "GET", "/search", {"params": {"q": QUERIES[1], "from": "2025-01-01", "actor": "ISR"}})
    )
    for brief_id in brief_ids[:10]:
        mix.append(("brief", "GET", f"/briefs/{brief_id}", {}))
        mix.append(("similar", "GET", f"/briefs/{brief_id}/similar", {"params": {"k": 5}}))
    for a, b in DYADS:
        mix.append(("dyad", "GET", f"/actors/{a}/interactions", {"params": {"with": b}}))
        mix.append(("actor", "GET", f"/actors/{a}", {}))
    mix.append(("actor interactions", "GET", "/actors/ISR/interactions", {"params": {"from": "2025-01-01"}}))
    mix.append(("find actors", "GET", "/actors", {"params": {"q": "hez"}}))
    mix.append(("paths", "GET", "/actors/TUR/paths/IRN", {"params": {"max_hops": 3}}))
    mix.append(("paths", "GET", "/actors/USA/paths/LBN", {"params": {"max_hops": 3}}))
    for question in QUESTIONS:
        mix.append(("ask", "POST", "/ask", {"json": {"question": question}}))
    return mix


async def _client(
    client: httpx.AsyncClient, mix: list[tuple[str, str, str, dict[str, Any]]], until: float, tally: Tally, seed: int
) -> None:
    pick = random.Random(seed)
    while time.monotonic() < until:
        name, method, path, kwargs = pick.choice(mix)
        started = time.perf_counter()
        problem: str | None = None
        try:
            response = await client.request(method, path, **kwargs)
            if not 200 <= response.status_code < 300:
                problem = f"{method} {path} -> {response.status_code} {response.text[:200]}"
        except httpx.HTTPError as error:
            problem = f"{method} {path} -> {type(error).__name__}: {error}"
        tally.record(name, time.perf_counter() - started, problem)


async def _sample_rss(pid: int | None, until: float, every_s: float, samples: list[float]) -> None:
    while pid and time.monotonic() < until:
        await asyncio.sleep(min(every_s, max(0.0, until - time.monotonic())))
        rss = proc_status_mib(pid, "VmRSS")
        if rss is not None:
            samples.append(round(rss, 1))


async def run_load(
    url: str,
    mix: list[tuple[str, str, str, dict[str, Any]]],
    concurrency: int,
    seconds: float,
    pid: int | None = None,
    rss_samples: list[float] | None = None,
) -> Tally:
    """Load for `seconds`; with `pid`, the server's RSS is sampled every tenth of the run into `rss_samples`."""
    tally = Tally()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        until = time.monotonic() + seconds
        sampler = _sample_rss(pid, until, seconds / 10, rss_samples if rss_samples is not None else [])
        await asyncio.gather(sampler, *(_client(client, mix, until, tally, seed) for seed in range(concurrency)))
    return tally


# ------------------------------------------------------------------ the server under test


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _env(data_dir: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("BRIEFGRAPH_")}
    env["BRIEFGRAPH_DATA_DIR"] = str(data_dir)
    return env


def ingest(data_dir: Path, sources: list[Path]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "briefgraph.cli", "ingest", *map(str, sources), "--no-progress"],
        cwd=REPO,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"ingest failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


@contextlib.contextmanager
def serve(data_dir: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "briefgraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO,
            env=_env(data_dir),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield server
        finally:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(timeout=10)


def wait_ready(url: str, server: subprocess.Popen[bytes] | None, timeout_s: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode} before it was ready")
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.get(f"{url}/readyz", timeout=5)
            if response.status_code == 200:
                ready: dict[str, Any] = response.json()
                return ready
        time.sleep(0.5)
    raise SystemExit(f"{url}/readyz did not answer 200 within {timeout_s:.0f} s")


def brief_ids(url: str) -> list[str]:
    found: list[str] = []
    for query in QUERIES:
        results = httpx.get(f"{url}/search", params={"q": query, "k": 5}, timeout=60).json()["results"]
        found += [hit["brief_id"] for hit in results if hit["brief_id"] not in found]
    if not found:
        raise SystemExit("the API holds no briefs to load-test")
    return found


# ------------------------------------------------------------------ report


def summarise(tally: Tally, seconds: float) -> dict[str, Any]:
    every = [s for values in tally.latencies.values() for s in values]

    def stats(values: list[float]) -> dict[str, float]:
        return latency_summary_ms(values, percentiles=(50, 90, 95, 99))

    return {
        "requests": len(every),
        "errors": sum(tally.errors.values()),
        "requests_per_s": round(len(every) / seconds, 1),
        "overall": stats(every) if every else {},
        "endpoints": {
            name: {**stats(values), "errors": tally.errors[name]} for name, values in sorted(tally.latencies.items())
        },
        "error_examples": tally.examples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load after the warm-up")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of load before measuring")
    parser.add_argument("--url", help="load an API already running here instead of starting one")
    parser.add_argument("--pid", type=int, help="with --url: the server's process id, to read its memory")
    parser.add_argument("--data-dir", type=Path, help="data folder to serve (ingested first when it is empty)")
    parser.add_argument("--max-rss-growth-mib", type=float, default=50.0)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.url and not args.url.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("this load test only targets 127.0.0.1")

    stack = contextlib.ExitStack()
    ingested = ""
    server: subprocess.Popen[bytes] | None = None
    with stack:
        if args.url:
            url, pid = args.url.rstrip("/"), args.pid
        else:
            data_dir = args.data_dir or OUT / "load_test_data"
            if args.data_dir is None and data_dir.exists():
                shutil.rmtree(data_dir)
            data_dir.mkdir(parents=True, exist_ok=True)
            if not any(data_dir.iterdir()):
                sources = [EXAMPLES] + ([SHARED_BRIEFS] if SHARED_BRIEFS.is_dir() else [])
                started = time.monotonic()
                ingested = ingest(data_dir, sources)
                print(f"ingest: {ingested} ({time.monotonic() - started:.0f} s with model loading)", file=sys.stderr)
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            server = stack.enter_context(serve(data_dir, port, OUT / "load_test_server.log"))
            pid = server.pid
        ready = wait_ready(url, server)
        rss_start = proc_status_mib(pid, "VmRSS") if pid else None
        mix = request_mix(brief_ids(url))
        print(f"loading {url}: {len(mix)} distinct requests, {args.concurrency} clients", file=sys.stderr)
        asyncio.run(run_load(url, mix, args.concurrency, args.warmup))
        rss_warm = proc_status_mib(pid, "VmRSS") if pid else None
        started = time.monotonic()
        rss_samples: list[float] = []
        tally = asyncio.run(run_load(url, mix, args.concurrency, args.duration, pid, rss_samples))
        elapsed = time.monotonic() - started
        rss_end = proc_status_mib(pid, "VmRSS") if pid else None
        rss_peak = proc_status_mib(pid, "VmHWM") if pid else None
        if server is not None and server.poll() is not None:
            raise SystemExit(f"the server died during the run (exit {server.returncode})")

    result = summarise(tally, elapsed)
    result.update(
        machine=machine_line(),
        url=url,
        concurrency=args.concurrency,
        duration_s=round(elapsed, 1),
        warmup_s=args.warmup,
        stored=ready.get("counts"),
        vectors=ready.get("vectors"),
        ingest=ingested,
        rss_mib={"start": rss_start, "after_warmup": rss_warm, "end": rss_end, "peak": rss_peak},
        rss_samples_mib=rss_samples,
    )
    growth = (rss_end - rss_warm) if rss_end is not None and rss_warm is not None else None
    result["rss_growth_mib"] = round(growth, 1) if growth is not None else None

    print(machine_line())
    print(
        f"{result['requests']} requests in {elapsed:.1f} s ({result['requests_per_s']}/s) at concurrency "
        f"{args.concurrency}, errors {result['errors']}"
    )
    overall = result["overall"]
    print(
        f"latency ms: p50 {overall['p50']}, p90 {overall['p90']}, p95 {overall['p95']}, "
        f"p99 {overall['p99']}, max {overall['max']}"
    )
    if pid:
        print(
            f"server RSS MiB: start {rss_start:.0f}, after warm-up {rss_warm:.0f}, end {rss_end:.0f} "
            f"(growth {growth:+.1f}), peak {rss_peak:.0f}"
        )
        series = ", ".join(f"{r:.0f}" for r in rss_samples)
        print(f"server RSS MiB every {args.duration / 10:.0f} s of the run: {series}")
    rows = [
        [name, s["n"], s["errors"], s["p50"], s["p95"], s["p99"], s["max"]] for name, s in result["endpoints"].items()
    ]
    print(table(rows, ["endpoint", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"]))
    for example in result["error_examples"]:
        print(f"  error: {example}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
    failed = result["errors"] > 0 or (growth is not None and growth > args.max_rss_growth_mib)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
