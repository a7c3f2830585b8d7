"""Property: N briefs that differ in URL (fragment included), in entry (title and date under one URL without
anchors) or in content end as N stored briefs, posted in one batch or one per request; posting them again
changes nothing; replacing one reports `replaced` and leaves the others as they were. On both graph backends."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.bootstrap import Stores, build_vectors
from core.registry import ActorRegistry
from ingest.extraction import Extractor
from ingest.pipeline import IngestPipeline
from tests.conftest import Neo4jConnection, fake_settings, neo4j_store
from tests.fakes import HashingEmbedder
from tests.reliability.conftest import facts_of

PAGE = "https://www.crisisgroup.org/crisiswatch/october-2024"
WORDS = (  # noqa: SIM905
    "Turkey Israel Syria Lebanon Iran Sudan Haiti officials troops talks strikes ceasefire border militia "
    "government protest election envoy aid convoy airbase port capital rebels army police minister"
).split()


@dataclass(frozen=True)
class Spec:
    """One brief: how it is identified (kind) and what it says."""

    kind: str  # "anchored" (PAGE#anchor), "entry" (PAGE, told apart by title), "url" (own URL), "content" (none)
    key: str
    body: str

    @property
    def title(self) -> str:
        # anchored entries carry the page's title, as scraped digest entries often do: only the anchor tells
        # them apart
        return "CrisisWatch October 2024" if self.kind == "anchored" else f"Entry {self.key}"

    def record(self, body: str | None = None) -> dict[str, Any]:
        text = body or self.body
        record: dict[str, Any] = {"title": self.title, "date": "2024-10-31", "body": text}
        if self.kind == "anchored":
            record["url"] = f"{PAGE}#{self.key}-2024-10"
        elif self.kind == "entry":
            record["url"] = PAGE
        elif self.kind == "url":
            record["url"] = f"https://news.example/{self.key}"
        return record


sentences = st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(lambda words: " ".join(words) + ".")
bodies = st.lists(sentences, min_size=1, max_size=3).map(" ".join)
specs = st.lists(
    st.tuples(st.sampled_from(["anchored", "entry", "url", "content"]), bodies),
    min_size=1,
    max_size=6,
).map(lambda drawn: [Spec(kind, f"k{index}", body) for index, (kind, body) in enumerate(drawn)])


def _distinct(items: list[Spec]) -> list[Spec]:
    """Content-identified briefs differ in content by definition: two equal texts without a URL are one brief."""
    seen: set[str] = set()
    kept = []
    for spec in items:
        if spec.kind == "content":
            if spec.body in seen:
                continue
            seen.add(spec.body)
        kept.append(spec)
    return kept


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_stores(backend: str, request: pytest.FixtureRequest, tmp_path: Path, registry: ActorRegistry) -> Any:
    """A factory of empty stores on the backend, one per hypothesis example (a context manager that closes them)."""

    @contextlib.contextmanager
    def open_() -> Iterator[Stores]:
        settings = fake_settings(tmp_path)
        if backend == "embedded":
            from core.adapters.embedded_graph import EmbeddedGraphStore

            graph: Any = EmbeddedGraphStore(None)
        else:
            connection: Neo4jConnection = request.getfixturevalue("neo4j_connection")
            graph = neo4j_store(connection)
        graph.apply_schema()
        embedder = HashingEmbedder()
        vectors = build_vectors(settings)
        vectors.ensure_collection(embedder.dimension, embedder.name)
        stores = Stores(settings=settings, graph=graph, vectors=vectors, embedder=embedder, registry=registry)
        try:
            yield stores
        finally:
            stores.close()

    return open_


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=specs, one_per_request=st.booleans(), data=st.data())
def test_distinct_briefs_stay_distinct_reposts_change_nothing_and_a_replace_says_so(
    open_stores: Any, extractor: Extractor, drawn: list[Spec], one_per_request: bool, data: st.DataObject
) -> None:
    with open_stores() as stores:
        _check(stores, extractor, _distinct(drawn), one_per_request, data)


def _check(stores: Stores, extractor: Extractor, items: list[Spec], one_per_request: bool, data: st.DataObject) -> None:
    pipeline = IngestPipeline(stores, extractor, batch_size=2, retry_delay_s=0.01)

    def post(records: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
        groups = [[record] for record in records] if one_per_request else [records]
        return [
            (outcome.status, outcome.brief_id)
            for group in groups
            for outcome in pipeline.ingest_records(group, source="api").outcomes
        ]

    first = post([spec.record() for spec in items])
    assert [status for status, _ in first] == ["ingested"] * len(items)
    ids = [brief_id for _, brief_id in first]
    assert len(set(ids)) == len(items)
    assert stores.graph.counts().briefs == len(items)
    assert set(stores.graph.brief_hashes()) == set(stores.vectors.brief_hashes()) == set(ids)

    before = {brief_id: facts_of(stores, brief_id) for brief_id in ids if brief_id}
    again = post([spec.record() for spec in items])
    assert again == [("unchanged", brief_id) for brief_id in ids]
    assert {brief_id: facts_of(stores, brief_id) for brief_id in ids if brief_id} == before

    replaceable = [index for index, spec in enumerate(items) if spec.kind != "content"]
    if not replaceable:
        return
    index = data.draw(st.sampled_from(replaceable), label="replaced")
    edited = items[index].body + " Officials gave no further details."
    ((status, brief_id),) = post([items[index].record(edited)])
    assert (status, brief_id) == ("replaced", ids[index])
    assert stores.graph.counts().briefs == len(items)
    info = stores.graph.get_brief(ids[index] or "")
    assert info is not None and "further details" in "\n".join(s.text for s in info.sections)
    assert (info.title, info.date) == (items[index].title, dt.date(2024, 10, 31))
    others = {brief_id: facts for brief_id, facts in before.items() if brief_id != ids[index]}
    assert {brief_id: facts_of(stores, brief_id) for brief_id in others} == others
