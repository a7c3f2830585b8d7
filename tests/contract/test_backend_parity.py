"""Parity: the same briefs ingested into the embedded graph and into Neo4j give the same answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.adapters.cypher_graph import CypherGraphStore
from core.adapters.embedded_graph import EmbeddedGraphStore
from core.adapters.qdrant_store import QdrantVectorStore
from core.bootstrap import Stores
from core.registry import ActorRegistry
from ingest.extraction import Extractor, load_nlp
from ingest.pipeline import IngestPipeline
from tests.conftest import EXAMPLES, Neo4jConnection, fake_settings, neo4j_store
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.neo4j

FIXTURES = sorted(EXAMPLES.glob("turkey_*")) + sorted(EXAMPLES.glob("israel_s*")) + sorted(EXAMPLES.glob("sdf_*"))


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(ActorRegistry.load(), load_nlp())


def _ingest(graph: CypherGraphStore, extractor: Extractor, tmp_path: Path) -> Stores:
    embedder = HashingEmbedder()
    vectors = QdrantVectorStore(collection="parity", in_memory=True)
    vectors.ensure_collection(embedder.dimension)
    graph.apply_schema()
    stores = Stores(
        settings=fake_settings(tmp_path), graph=graph, vectors=vectors, embedder=embedder, registry=ActorRegistry.load()
    )
    report = IngestPipeline(stores, extractor).ingest_paths(FIXTURES)
    assert report.of("ingested") and not report.of("failed")
    return stores


@pytest.fixture(scope="module")
def both(
    extractor: Extractor, neo4j_connection: Neo4jConnection, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stores, Stores]]:
    tmp = tmp_path_factory.mktemp("parity")
    embedded = _ingest(EmbeddedGraphStore(tmp / "graph"), extractor, tmp)
    neo4j = _ingest(neo4j_store(neo4j_connection), extractor, tmp)
    try:
        yield embedded, neo4j
    finally:
        embedded.close()
        neo4j.close()


def test_same_counts(both: tuple[Stores, Stores]) -> None:
    embedded, neo4j = both
    assert embedded.graph.counts() == neo4j.graph.counts()
    assert embedded.graph.counts().interactions > 20


@pytest.mark.parametrize(("a", "b"), [("TUR", "ISR"), ("ISR", "SYR"), ("TUR", "SYR"), ("SYR", "group:sdf")])
def test_same_dyad_timelines(both: tuple[Stores, Stores], a: str, b: str) -> None:
    embedded, neo4j = both
    left = [r.model_dump() for r in embedded.graph.interactions(a, b)]
    right = [r.model_dump() for r in neo4j.graph.interactions(a, b)]
    assert left == right and left


@pytest.mark.parametrize("actor", ["TUR", "ISR", "SYR"])
def test_same_neighbours(both: tuple[Stores, Stores], actor: str) -> None:
    embedded, neo4j = both
    assert embedded.graph.counterparts(actor, 20) == neo4j.graph.counterparts(actor, 20)


@pytest.mark.parametrize(("a", "b"), [("TUR", "group:sdf"), ("ISR", "group:sdf"), ("TUR", "USA")])
def test_same_paths(both: tuple[Stores, Stores], a: str, b: str) -> None:
    embedded, neo4j = both
    left = embedded.graph.paths(a, b, 3, 5)
    assert left == neo4j.graph.paths(a, b, 3, 5)
    if (a, b) == ("TUR", "group:sdf"):
        assert left and left[0].steps


def test_same_person_view(both: tuple[Stores, Stores]) -> None:
    embedded, neo4j = both
    fidan = "person:hakan-fidan"
    assert embedded.graph.interactions(fidan) == neo4j.graph.interactions(fidan)
    assert embedded.graph.get_actor(fidan) == neo4j.graph.get_actor(fidan)
