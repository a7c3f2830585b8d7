"""The composition root: the one place that turns settings into concrete stores."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from core.embedder_choice import (
    Backend,
    CpuInfo,
    ProbeResult,
    auto_backend,
    backend_of,
    embedder_name_of,
)
from core.errors import BriefgraphError
from core.ports import Embedder, GraphStore, VectorStore
from core.registry import ActorRegistry
from core.settings import GraphBackend, Settings

log = logging.getLogger(__name__)


@dataclass
class Stores:
    settings: Settings
    graph: GraphStore
    vectors: VectorStore
    embedder: Embedder
    registry: ActorRegistry

    def close(self) -> None:
        for closer in (self.vectors.close, self.graph.close):
            # closing a store that is already gone must not hide the error that brought us here
            with contextlib.suppress(BriefgraphError):
                closer()


def build_graph(settings: Settings, *, read_only: bool = False) -> GraphStore:
    if settings.graph.backend is GraphBackend.NEO4J:
        from core.adapters.neo4j_graph import Neo4jGraphStore

        assert settings.graph.neo4j_uri is not None  # validated by GraphSettings
        password = settings.graph.neo4j_password.get_secret_value() if settings.graph.neo4j_password else ""
        return Neo4jGraphStore(
            settings.graph.neo4j_uri,
            settings.graph.neo4j_user,
            password,
            database=settings.graph.neo4j_database,
            query_timeout_s=settings.graph.query_timeout_s,
            max_connection_pool_size=settings.graph.max_connection_pool_size,
        )
    from core.adapters.embedded_graph import EmbeddedGraphStore

    return EmbeddedGraphStore(
        settings.graph_path,
        read_only=read_only,
        query_timeout_s=settings.graph.query_timeout_s,
        buffer_pool_mb=settings.graph.buffer_pool_mb,
    )


def build_vectors(settings: Settings, *, allow_legacy: bool = False) -> VectorStore:
    """A Qdrant server's collections when a URL is set, else the embedded Qdrant Edge folder (or a throw-away
    one). allow_legacy: open the embedded store although the previous layout is still there (reindex)."""
    if settings.vector.url:
        from core.adapters.qdrant_store import QdrantVectorStore

        api_key = settings.vector.api_key.get_secret_value() if settings.vector.api_key else None
        return QdrantVectorStore(
            collection=settings.vector.collection,
            url=settings.vector.url,
            api_key=api_key,
            hybrid=settings.vector.hybrid,
        )
    from core.adapters.edge_store import EdgeVectorStore

    return EdgeVectorStore(
        collection=settings.vector.collection,
        path=None if settings.vector.in_memory else settings.vector_path,
        hybrid=settings.vector.hybrid,
        legacy_folders=settings.legacy_vector_paths,
        allow_legacy=allow_legacy,
    )


def embedding_backend(settings: Settings, stored_embedder: str | None = None) -> Backend:
    """The backend to embed with: the one the settings name; with 'auto' (the default), the one that wrote the
    folder's vectors (`stored_embedder`, from VectorStore.stored_embedder), else the one a probe finds fastest on
    this CPU (core/embedder_choice.py; probed once per machine). A folder written by another model than the
    configured one is left to ensure_collection, which refuses it with a message that says what to do."""
    backend = settings.embedding.backend
    if backend != "auto":
        return backend
    if stored_embedder is not None:
        kept = backend_of(stored_embedder, settings.embedding.model)
        if kept is not None:
            return kept
    return probe_backend(settings).backend


def probe_backend(settings: Settings, *, cpu: CpuInfo | None = None) -> ProbeResult:
    """The fastest backend for a new folder on this machine (cached per CPU in the embedding cache folder)."""
    from core.adapters.onnx_embedder import default_cache_dir

    result = auto_backend(
        settings.embedding.model,
        settings.embedding.cache_dir or default_cache_dir(),
        lambda backend, threads: _embedder(settings, backend, threads),
        cpu=cpu,
    )
    log.info("embedding backend for a new data folder: %s", result.describe())
    return result


def embedder_name(settings: Settings, stored_embedder: str | None = None) -> str:
    """The name the embedder build_stores would use reports (and the vector store records), without loading it
    (with 'auto' and no stored embedder, that may mean probing once per machine)."""
    return embedder_name_of(settings.embedding.model, embedding_backend(settings, stored_embedder))


def build_embedder(
    settings: Settings, *, default_threads: int | None = None, stored_embedder: str | None = None
) -> Embedder:
    """The embedder of `embedding_backend`, with the configured threads, else `default_threads`."""
    backend = embedding_backend(settings, stored_embedder)
    return _embedder(settings, backend, settings.embedding.threads or default_threads)


def _embedder(settings: Settings, backend: Backend, threads: int | None) -> Embedder:
    if backend in {"onnx-int8", "onnx-fp32"}:
        from core.adapters.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(
            settings.embedding.model,
            cache_dir=settings.embedding.cache_dir,
            threads=threads,
            precision="int8" if backend == "onnx-int8" else "fp32",
        )
    from core.adapters.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        settings.embedding.model,
        device=settings.embedding.device,
        batch_size=settings.embedding.batch_size,
        threads=threads,
    )


def with_backend(settings: Settings, backend: Backend) -> Settings:
    """The settings with 'auto' resolved to `backend` (what the stores were opened with)."""
    embedding = settings.embedding.model_copy(update={"backend": backend})
    return settings.model_copy(update={"embedding": embedding})


def build_stores(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    read_only: bool = False,
    default_threads: int | None = None,
    allow_legacy: bool = False,
    warm_vectors: bool = False,
) -> Stores:
    """Open every store the settings name, apply the graph schema and check the vector dimension.

    `embedder` lets tests pass a deterministic fake; production loads the configured model (the backend that
    wrote the folder, or with a new folder the one the probe chose: embedding_backend), with `default_threads`
    threads unless the settings name a number. `allow_legacy`: see build_vectors. `warm_vectors` (a long-running
    server): the vector store's files start coming into the page cache before the models and shards load
    (VectorStore.warm_cache), so that reading them overlaps the opening rather than the first requests.
    """
    registry = ActorRegistry.load()
    graph = build_graph(settings, read_only=read_only)
    try:
        vectors = build_vectors(settings, allow_legacy=allow_legacy)
    except BriefgraphError:
        graph.close()
        raise
    if warm_vectors:
        vectors.warm_cache()
    if embedder is None:
        try:  # the folder's own embedder, read from its vectors before any model is loaded
            settings = with_backend(settings, embedding_backend(settings, vectors.stored_embedder()))
            embedder = build_embedder(settings, default_threads=default_threads)
        except BaseException:
            vectors.close()
            graph.close()
            raise
    stores = Stores(settings=settings, graph=graph, vectors=vectors, embedder=embedder, registry=registry)
    try:
        if not read_only:
            graph.apply_schema()
        vectors.ensure_collection(embedder.dimension, embedder.name)
    except BaseException:  # a wrong configuration, or a store another process holds: release what did open
        stores.close()
        raise
    return stores
