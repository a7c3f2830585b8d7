"""Shared fixtures: stores on every backend, the real Neo4j the suite starts itself, fakes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.adapters.cypher_graph import CypherGraphStore
from core.adapters.embedded_graph import EmbeddedGraphStore
from core.bootstrap import Stores, build_stores
from core.registry import ActorRegistry
from core.settings import Settings
from tests.fakes import HashingEmbedder

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED_BRIEF = SHARED / "briefs" / "seed_turkey_israel_deconfliction_2025-04-10.txt"
EXAMPLES = REPO / "examples" / "briefs"


@pytest.fixture(scope="session")
def registry() -> ActorRegistry:
    return ActorRegistry.load()


class Neo4jConnection:
    """Where the test Neo4j listens; `server` is None when NEO4J_URI points at one we did not start."""

    def __init__(self, uri: str, user: str, password: str, server: object | None) -> None:
        self.uri, self.user, self.password, self.server = uri, user, password, server


@pytest.fixture(scope="session")
def neo4j_connection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jConnection]:
    """A real Neo4j: the one NEO4J_URI names, else Neo4j Community embedded in a JVM started here.
    Fails loudly (never skips) when the JVM harness cannot be built or started."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jConnection(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""), None)
        return
    from tests.support.neo4j_server import start_neo4j

    server = start_neo4j(tmp_path_factory.mktemp("neo4j"))
    connection = Neo4jConnection(server.uri, server.user, server.password, server)
    try:
        yield connection
    finally:
        # a test that restarts the server (tests/reliability/test_faults.py) puts the new one here
        (connection.server or server).stop()  # type: ignore[attr-defined]


def neo4j_store(connection: Neo4jConnection) -> CypherGraphStore:
    from core.adapters.neo4j_graph import Neo4jGraphStore

    store = Neo4jGraphStore(connection.uri, connection.user, connection.password, query_timeout_s=20)
    store._write([("MATCH (n) DETACH DELETE n", [{}])])  # each test starts from an empty graph
    return store


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def graph_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CypherGraphStore]:
    """Every graph backend, each test on an empty graph with the schema applied."""
    store: CypherGraphStore
    if request.param == "embedded":
        store = EmbeddedGraphStore(tmp_path / "graph")
    else:
        store = neo4j_store(request.getfixturevalue("neo4j_connection"))
    store.apply_schema()
    try:
        yield store
    finally:
        store.close()


def fake_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", vector={"in_memory": True})  # type: ignore[arg-type]


@pytest.fixture
def fake_stores(tmp_path: Path) -> Iterator[Stores]:
    """Embedded graph in a temp folder, Qdrant in memory, the hashing fake embedder."""
    stores = build_stores(fake_settings(tmp_path), embedder=HashingEmbedder())
    try:
        yield stores
    finally:
        stores.close()
