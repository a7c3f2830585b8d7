"""The composition root: the one place that turns settings into concrete stores."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from core.errors import BriefgraphError, ConfigurationError
from core.ports import Embedder, GraphStore, VectorStore
from core.registry import ActorRegistry
from core.settings import GraphBackend, Settings


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

    return EmbeddedGraphStore(settings.graph_path, read_only=read_only, query_timeout_s=settings.graph.query_timeout_s)


def build_vectors(settings: Settings) -> VectorStore:
    from core.adapters.qdrant_store import QdrantVectorStore

    api_key = settings.vector.api_key.get_secret_value() if settings.vector.api_key else None
    return QdrantVectorStore(
        collection=settings.vector.collection,
        path=settings.vector_path,
        url=settings.vector.url,
        api_key=api_key,
        in_memory=settings.vector.in_memory,
        hybrid=settings.vector.hybrid,
        local_index=settings.vector.local_index,
    )


def embedder_name(settings: Settings) -> str:
    """The name the configured embedder reports (and the vector store records), without loading it."""
    from core.adapters.onnx_embedder import onnx_embedder_name

    model = settings.embedding.model
    return onnx_embedder_name(model) if settings.embedding.backend == "onnx-int8" else model


def build_embedder(settings: Settings, *, default_threads: int | None = None) -> Embedder:
    if settings.embedding.backend == "onnx-int8":
        from core.adapters.onnx_embedder import OnnxEmbedder

        return OnnxEmbedder(
            settings.embedding.model,
            cache_dir=settings.embedding.cache_dir,
            threads=settings.embedding.threads or default_threads,
        )
    from core.adapters.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        settings.embedding.model,
        device=settings.embedding.device,
        batch_size=settings.embedding.batch_size,
        threads=settings.embedding.threads or default_threads,
    )


def build_stores(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    read_only: bool = False,
    default_threads: int | None = None,
) -> Stores:
    """Open every store the settings name, apply the graph schema and check the vector dimension.

    `embedder` lets tests pass a deterministic fake; production loads the configured model, with
    `default_threads` torch threads unless the settings name a number.
    """
    registry = ActorRegistry.load()
    embedder = embedder or build_embedder(settings, default_threads=default_threads)
    graph = build_graph(settings, read_only=read_only)
    try:
        vectors = build_vectors(settings)
    except BriefgraphError:
        graph.close()
        raise
    stores = Stores(settings=settings, graph=graph, vectors=vectors, embedder=embedder, registry=registry)
    try:
        if not read_only:
            graph.apply_schema()
        vectors.ensure_collection(embedder.dimension, embedder.name)
    except ConfigurationError:
        stores.close()
        raise
    return stores
