"""Helpers shared by the benchmark scripts: settings for a throw-away data folder, memory readings, percentiles,
and a line that says on what machine and when a figure was taken."""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.settings import Settings

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"  # git-ignored: corpora, data folders, JSON results
EXAMPLES = REPO / "examples" / "briefs"
DATA = REPO / "benchmarks" / "data"

if str(REPO) not in sys.path:  # run as `python benchmarks/x.py` from the repository root
    sys.path.insert(0, str(REPO))


def settings_for(data_dir: Path, *, graph: str = "embedded", neo4j_uri: str | None = None) -> Settings:
    """Settings for a data folder of our own; never the user's ./data."""
    from pydantic import SecretStr

    from core.settings import GraphBackend, GraphSettings, Settings

    if graph == "neo4j":
        assert neo4j_uri is not None
        graph_settings = GraphSettings(
            backend=GraphBackend.NEO4J,
            neo4j_uri=neo4j_uri,
            neo4j_user="neo4j",
            neo4j_password=SecretStr("briefgraph-test"),
        )
    else:
        graph_settings = GraphSettings()
    return Settings(data_dir=data_dir, graph=graph_settings)


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def proc_status_mib(pid: int, field: str) -> float | None:
    """VmHWM (peak) or VmRSS (now) of another process, from /proc (psutil is not a dependency)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_summary_ms(seconds: Sequence[float], percentiles: Sequence[int] = (50, 95, 99)) -> dict[str, float]:
    """n, the given percentiles as p50/p95/..., mean and max, in milliseconds, of latencies in seconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        **{f"p{q}": round(percentile(ms, q), 2) for q in percentiles},
        "mean": round(statistics.fmean(ms), 2),
        "max": round(max(ms), 2),
    }


def machine_line() -> str:
    """When and where: the date, host, cores, memory, the CPU and the flags that decide which embedder is
    fastest on it (avx2, avx512f, avx512_vnni, avx_vnni, ...), Python and the load average."""
    from core.embedder_choice import CpuInfo

    cpu = CpuInfo.read()
    load = os.getloadavg()
    return (
        f"{dt.datetime.now().astimezone().isoformat(timespec='seconds')} | {platform.node()} | "
        f"{cpu.cores} cores, {_mem_gib():.0f} GiB, no GPU, CPU torch | {cpu.model}, flags {cpu.shown_flags()} | "
        f"Python {platform.python_version()} | "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (machine shared with other workers)"
    )


def _mem_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """A Markdown table (pasted as is into RESULTS.md)."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)
