"""Which embedding backend a data folder gets (`BRIEFGRAPH_EMBEDDING__BACKEND=auto`, the default).

A folder that already holds vectors keeps the embedder it was written with (vectors of two embedders do not
compare). A new folder gets the backend a short probe finds fastest on this CPU: each backend embeds the same few
dozen brief-like texts on every core, and the fastest wins, except that int8 must beat the faster float backend
by INT8_MARGIN to be taken (it is an approximation of the model; the float backends give the model's own vectors).
int8 pays where the CPU has VNNI (AVX-512 VNNI or AVX-VNNI: 2.6x torch on our Xeon) and much less without it
(1.2x on an AVX2-only EPYC), which the probe sees for itself. The result is cached per machine in the embedding
cache folder (keyed by CPU model, flags, cores, model and runtime versions), so only the first new folder on a
machine pays for it. Without timings (a probe that could not run any backend) the CPU flags decide alone.

Pure parts (`choose_backend`, `CpuInfo.read`, `backend_of`) take their inputs, so tests inject flags and timings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from core.errors import BriefgraphError, ConfigurationError
from core.ports import Embedder

Backend = Literal["onnx-int8", "onnx-fp32", "torch"]
BACKENDS: tuple[Backend, ...] = ("onnx-int8", "onnx-fp32", "torch")
FLOAT_BACKENDS: tuple[Backend, ...] = ("onnx-fp32", "torch")
INT8_FLAGS = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})  # int8 dot products in one instruction
SHOWN_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")  # what benchmarks print
INT8_MARGIN = 1.15
PROBE_FILE = "embedder-probe.json"
ROUNDS = 3  # timed runs of each backend in the probe, interleaved

# brief-like texts of the lengths ingest embeds (a title, passages of one to three sentences)
_SENTENCES = (
    "Turkish and Israeli officials held technical talks in Baku on avoiding clashes over Syria.",
    "Israeli aircraft struck the T4 airbase east of Homs, days after Ankara said it would deploy air defences there.",
    "The IAEA board passed a resolution censuring Iran for failing to explain uranium traces at undeclared sites.",
    "Hezbollah fired rockets at northern Israel",
    "Druze leaders in Sweida rejected the new security arrangement and called for international guarantees.",
    "The Kurdish-led SDF and Damascus agreed to integrate civil and military institutions in the north-east by the "
    "end of the year, according to a statement read on state television.",
    "Egypt and Qatar mediated a new round of ceasefire negotiations in Cairo.",
    "Washington imposed sanctions on three shipping companies accused of carrying Iranian oil to China.",
)
PROBE_TEXTS: tuple[str, ...] = tuple(
    " ".join(_SENTENCES[(i + k) % len(_SENTENCES)] for k in range(1 + i % 3)) for i in range(32)
)


@dataclass(frozen=True)
class CpuInfo:
    model: str
    flags: frozenset[str]
    cores: int

    @classmethod
    def read(cls, cpuinfo: str | None = None, cores: int | None = None) -> CpuInfo:
        """This machine's CPU, from /proc/cpuinfo (or the given text); empty flags where it cannot be read."""
        if cpuinfo is None:
            try:
                cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
            except OSError:
                cpuinfo = ""
        model, flags = "", frozenset[str]()
        for line in cpuinfo.splitlines():
            name, _, value = line.partition(":")
            name = name.strip()
            if name == "model name" and not model:
                model = value.strip()
            elif name in {"flags", "Features"} and not flags:
                flags = frozenset(value.split())
        return cls(model=model or "unknown", flags=flags, cores=cores or os.cpu_count() or 1)

    def shown_flags(self) -> str:
        """The flags that decide int8's worth, as benchmarks print them ('none of ...' when absent)."""
        present = [flag for flag in SHOWN_FLAGS if flag in self.flags]
        return " ".join(present) if present else f"none of {' '.join(SHOWN_FLAGS)}"


def backend_for_flags(flags: frozenset[str]) -> Backend:
    """The choice without timings: int8 where the CPU has int8 dot-product instructions, else the float export."""
    return "onnx-int8" if flags & INT8_FLAGS else "onnx-fp32"


def choose_backend(flags: frozenset[str], speeds: Mapping[str, float] | None) -> Backend:
    """The backend for a new folder, from the probe's texts/s per backend (those that could not run left out).
    The faster float backend, unless int8 beats it by INT8_MARGIN; by the flags alone when nothing was timed."""
    timed: dict[str, float] = {name: speed for name, speed in (speeds or {}).items() if speed > 0}
    floats = sorted((timed[name], name) for name in FLOAT_BACKENDS if name in timed)
    int8 = timed.get("onnx-int8")
    if not floats:
        return "onnx-int8" if int8 is not None else backend_for_flags(flags)
    best_speed, best_float = floats[-1]
    return "onnx-int8" if int8 is not None and int8 >= INT8_MARGIN * best_speed else best_float


def embedder_name_of(model: str, backend: str) -> str:
    """The name a backend's embedder reports and the vector store records (torch: the bare model name)."""
    return model if backend == "torch" else f"{model} ({backend})"


def backend_of(stored_embedder: str, model: str) -> Backend | None:
    """Which backend wrote vectors recorded as `stored_embedder`; None when it is not one of `model`'s."""
    for backend in BACKENDS:
        if stored_embedder == embedder_name_of(model, backend):
            return backend
    return None


@dataclass
class ProbeResult:
    backend: Backend
    speeds: dict[str, float]  # texts/s per backend that ran
    cpu: CpuInfo
    cached: bool = False  # read from the cache file rather than measured now
    errors: dict[str, str] = field(default_factory=dict)  # backends that could not run, and why

    def describe(self) -> str:
        speeds = ", ".join(f"{name} {speed:.0f}" for name, speed in self.speeds.items()) or "none timed"
        source = "cached probe" if self.cached else "probe"
        return f"{self.backend} ({source} on {self.cpu.cores} cores, texts/s: {speeds}; flags {self.cpu.shown_flags()})"


def probe_speeds(
    build: Callable[[Backend, int], Embedder],
    *,
    threads: int,
    texts: Sequence[str] = PROBE_TEXTS,
    backends: Sequence[Backend] = BACKENDS,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[dict[str, float], dict[str, str]]:
    """Texts/s of each backend on `texts` with `threads` threads, and the backends that could not be built, with
    the reason. All are loaded and warmed up first, then timed in ROUNDS rounds, each backend once a round, and
    each keeps its best round: a burst of other work on a shared machine then slows one round of every backend
    rather than every run of one of them."""
    embedders: dict[str, Embedder] = {}
    errors: dict[str, str] = {}
    for backend in backends:
        try:
            embedders[backend] = build(backend, threads)
        except (BriefgraphError, ImportError, OSError) as error:
            errors[backend] = f"{type(error).__name__}: {error}"[:300]
            continue
        embedders[backend].embed(list(texts[:8]))
    best = dict.fromkeys(embedders, float("inf"))
    for _ in range(ROUNDS):
        for name, embedder in embedders.items():
            started = clock()
            embedder.embed(list(texts))
            best[name] = min(best[name], clock() - started)
    return {name: round(len(texts) / max(seconds, 1e-9), 1) for name, seconds in best.items()}, errors


def probe_key(model: str, cpu: CpuInfo) -> str:
    """What a cached probe result holds for: the CPU, its cores, the model and the runtimes that ran it."""
    versions = []
    for package in ("onnxruntime", "torch", "sentence-transformers"):
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=-")
    flags = hashlib.sha256(" ".join(sorted(cpu.flags)).encode()).hexdigest()[:12]
    return f"{model}|{cpu.model}|{cpu.cores} cores|flags {flags}|{','.join(versions)}"


def auto_backend(
    model: str,
    cache_dir: Path,
    build: Callable[[Backend, int], Embedder],
    *,
    cpu: CpuInfo | None = None,
    texts: Sequence[str] = PROBE_TEXTS,
) -> ProbeResult:
    """The fastest backend on this machine for a new folder: from the cached probe when this CPU was probed
    before, else probed now (on every core) and cached."""
    cpu = cpu or CpuInfo.read()
    key = probe_key(model, cpu)
    cache_file = cache_dir / PROBE_FILE
    cached = _read_cache(cache_file).get(key)
    if isinstance(cached, dict) and cached.get("backend") in BACKENDS:
        speeds = {str(k): float(v) for k, v in dict(cached.get("speeds") or {}).items()}
        return ProbeResult(backend=cached["backend"], speeds=speeds, cpu=cpu, cached=True)
    speeds, errors = probe_speeds(build, threads=cpu.cores, texts=texts)
    if not speeds:
        raise ConfigurationError(f"no embedding backend could run on this machine: {errors}")
    result = ProbeResult(backend=choose_backend(cpu.flags, speeds), speeds=speeds, cpu=cpu, errors=errors)
    entry = {
        "backend": result.backend,
        "speeds": speeds,
        "flags": cpu.shown_flags(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):  # a read-only cache only means the next new folder probes again
        _write_cache(cache_file, {**_read_cache(cache_file), key: entry})
    return result


def _read_cache(cache_file: Path) -> dict[str, Any]:
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(cache_file: Path, data: dict[str, Any]) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=cache_file.parent, suffix=".tmp", delete=False) as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
    os.replace(handle.name, cache_file)
