"""Settings validate at start; every error of the tree maps to one HTTP status."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.errors import (
    AccessDeniedError,
    ConfigurationError,
    InvalidInputError,
    NotFoundError,
    StoreTimeoutError,
    StoreUnavailableError,
    UnreadableBriefError,
)
from core.settings import GraphBackend, Settings
from services.errors import status_for


def test_nested_env_vars(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__BACKEND", "neo4j")
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_URI", "bolt://localhost:7687")
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_PASSWORD", "s3cret")
    monkeypatch.setenv("BRIEFGRAPH_API__WRITE_KEYS", '["k1", "k2"]')
    settings = Settings()
    assert settings.graph.backend is GraphBackend.NEO4J
    assert [k.get_secret_value() for k in settings.api.write_keys] == ["k1", "k2"]
    assert "s3cret" not in repr(settings) and "k1" not in repr(settings)


@pytest.mark.parametrize(
    ("cores", "env", "expected_workers", "expected_threads"),
    [
        (2, {}, 2, 2),  # a worker per core below the embedder's priority, the embedder on every core
        (8, {}, 4, 8),  # at most 4 workers: each holds its own models
        (1, {}, 0, 1),
        (2, {"WORKERS": "0"}, 0, 2),
        (4, {"WORKERS": "2"}, 2, 4),
        (2, {"WORKER_NICE": "0"}, 1, 1),  # same priority: the cores split as before
        (8, {"WORKERS": "2", "WORKER_NICE": "0"}, 2, 6),
    ],
)
def test_batch_ingest_gives_the_embedder_every_core_beside_lower_priority_workers(
    monkeypatch: pytest.MonkeyPatch, cores: int, env: dict[str, str], expected_workers: int, expected_threads: int
) -> None:
    monkeypatch.setattr("core.settings.os.cpu_count", lambda: cores)
    for name, value in env.items():
        monkeypatch.setenv(f"BRIEFGRAPH_INGEST__{name}", value)
    ingest = Settings().ingest
    assert (ingest.extraction_workers(), ingest.embedding_threads()) == (expected_workers, expected_threads)
    assert ingest.worker_nice == int(env.get("WORKER_NICE", "10"))


def test_embedding_backend_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().embedding.backend == "auto"
    for backend in ("torch", "onnx-int8", "onnx-fp32"):
        monkeypatch.setenv("BRIEFGRAPH_EMBEDDING__BACKEND", backend)
        assert Settings().embedding.backend == backend
    monkeypatch.setenv("BRIEFGRAPH_EMBEDDING__BACKEND", "tensorflow")
    with pytest.raises(ValidationError, match="onnx-fp32"):
        Settings()


def test_neo4j_backend_needs_a_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__BACKEND", "neo4j")
    with pytest.raises(ValidationError, match="NEO4J_URI"):
        Settings()


def test_unknown_backend_and_bad_scheme_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__BACKEND", "sqlite")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__BACKEND", "neo4j")
    monkeypatch.setenv("BRIEFGRAPH_GRAPH__NEO4J_URI", "http://localhost:7474")
    with pytest.raises(ValidationError, match="unknown scheme"):
        Settings()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (UnreadableBriefError("x"), 422),
        (InvalidInputError("x"), 400),
        (NotFoundError("x"), 404),
        (StoreUnavailableError("x"), 503),
        (StoreTimeoutError("x"), 504),
        (ConfigurationError("x"), 500),
        (AccessDeniedError("x", missing=True), 401),
        (AccessDeniedError("x", missing=False), 403),
    ],
)
def test_error_statuses(error: Exception, status: int) -> None:
    assert status_for(error) == status  # type: ignore[arg-type]
