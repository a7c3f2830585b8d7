"""Fixtures of the reliability suite: one spaCy pipeline for the whole session, an ingest pipeline over the fake
stores, small brief records with actors the extractor finds, and a snapshot of both stores for "nothing changed"
assertions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.adapters.cypher_graph import CypherGraphStore
from core.bootstrap import Stores
from core.models import GraphCounts, PassagePoint, VectorFilter
from core.registry import ActorRegistry
from core.settings import Settings
from ingest.extraction import Extractor, load_nlp
from ingest.pipeline import IngestPipeline
from services.app import create_app


@pytest.fixture(scope="session")
def extractor(registry: ActorRegistry) -> Extractor:
    return Extractor(registry, load_nlp(Settings().ingest.spacy_model))


@pytest.fixture
def pipeline(fake_stores: Stores, extractor: Extractor) -> IngestPipeline:
    return IngestPipeline(fake_stores, extractor, retry_delay_s=0.01)


@pytest.fixture
def client(fake_stores: Stores, extractor: Extractor) -> Iterator[TestClient]:
    app = create_app(stores=fake_stores, writer_factory=lambda s: IngestPipeline(s, extractor, retry_delay_s=0.01))
    with TestClient(app) as test_client:
        yield test_client


def record(key: str, body: str, *, date: str = "2025-04-10", title: str | None = None) -> dict[str, Any]:
    """A brief record as POST /briefs takes it; the URL fixes its id across edits."""
    return {"title": title or f"Brief {key}", "date": date, "url": f"https://briefs.example/{key}", "body": body}


TALKS = (
    "Turkish and Israeli officials held technical talks in Baku on April 9, 2025. "
    "Israel struck the T4 airbase in Syria. Turkey condemned the Israeli strikes."
)
IRAN = "Iran and the United States held indirect talks in Muscat. Oman mediated the talks between Iran and the US."
LEBANON = "Israeli warplanes struck Hezbollah positions in southern Lebanon. Lebanon condemned the Israeli strikes."


@dataclass(frozen=True)
class Snapshot:
    counts: GraphCounts
    graph_hashes: dict[str, str]
    vector_hashes: dict[str, str]
    points: int


def snapshot(stores: Stores) -> Snapshot:
    return Snapshot(
        counts=stores.graph.counts(),
        graph_hashes=stores.graph.brief_hashes(),
        vector_hashes=stores.vectors.brief_hashes(),
        points=stores.vectors.count(),
    )


def points_of(stores: Stores, brief_id: str) -> list[PassagePoint]:
    """Every point the vector store holds for one brief (a filter on brief_id, any query vector)."""
    probe = [1.0] + [0.0] * (stores.embedder.dimension - 1)
    hits = [
        hit
        for kind in ("brief", "passage")
        for hit in stores.vectors.search(probe, limit=1_000, filter=VectorFilter(kind=kind, brief_id=brief_id))
    ]
    return sorted((hit.point for hit in hits), key=lambda p: p.point_id)


def mentions_of(stores: Stores, brief_id: str) -> list[tuple[str, int]]:
    graph = stores.graph
    assert isinstance(graph, CypherGraphStore)
    rows = graph._read(
        "MATCH (:Brief {id: $id})-[m:MENTIONS]->(a:Actor) RETURN a.id AS actor, m.sentence_index AS sentence",
        {"id": brief_id},
    )
    return sorted((row["actor"], row["sentence"]) for row in rows)


def facts_of(stores: Stores, brief_id: str) -> tuple[object, ...]:
    """Everything one brief contributes to both stores, for before/after comparisons."""
    return (
        stores.graph.get_brief(brief_id),
        stores.graph.brief_interactions(brief_id),
        mentions_of(stores, brief_id),
        points_of(stores, brief_id),
    )
