"""The in-process dense index answers exactly what Qdrant local mode's own scan answers, through writes,
rewrites, deletes and a reopened folder."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from qdrant_client import models
from qdrant_client.hybrid.fusion import reciprocal_rank_fusion

from core.adapters.dense_index import DenseIndex, IndexedPoint
from core.adapters.qdrant_store import KEYWORDS, QdrantVectorStore, _to_filter, point_id
from core.adapters.sparse import query_sparse, terms
from core.models import PassagePoint, VectorFilter

DIMENSION = 16
ACTORS = ("ISR", "TUR", "SYR", "IRN", "LBN")


def _unit(rng: random.Random) -> tuple[float, ...]:
    raw = [rng.gauss(0.0, 1.0) for _ in range(DIMENSION)]
    norm = sum(x * x for x in raw) ** 0.5
    return tuple(x / norm for x in raw)


def _brief(rng: random.Random, brief_id: str, passages: int) -> list[PassagePoint]:
    date = None if rng.random() < 0.2 else dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
    actors = tuple(rng.sample(ACTORS, rng.randrange(4)))

    def point(kind: str, index: int) -> PassagePoint:
        return PassagePoint(
            point_id=point_id(brief_id, kind, index),
            brief_id=brief_id,
            kind=kind,
            vector=_unit(rng),
            text=f"{kind} {index} of {brief_id}",
            title=f"T {brief_id}",
            date=date,
            section=None if kind == "brief" else "description",
            sentence_start=None,
            sentence_end=None,
            actors=actors if kind == "brief" else tuple(a for a in actors if rng.random() < 0.7),
            event_types=(),
            content_hash="h",
        )

    return [point("brief", 0), *(point("passage", i) for i in range(passages))]


def _filters(rng: random.Random, brief_ids: list[str]) -> list[VectorFilter]:
    filters = [VectorFilter(kind="passage"), VectorFilter(kind="brief")]
    for _ in range(12):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        filters.append(
            VectorFilter(
                kind=rng.choice(["passage", "brief"]),
                date_from=start if rng.random() < 0.5 else None,
                date_to=start + dt.timedelta(days=rng.randrange(120)) if rng.random() < 0.5 else None,
                actors_all=tuple(rng.sample(ACTORS, rng.randrange(3))),
                exclude_brief=rng.choice(brief_ids) if rng.random() < 0.3 else None,
                brief_id=rng.choice(brief_ids) if rng.random() < 0.15 else None,
            )
        )
    return filters


def _ranked(store: QdrantVectorStore, vector: tuple[float, ...], limit: int, filter: VectorFilter) -> list[str]:
    return [hit.point.point_id for hit in store.search(vector, limit, filter)]


def test_index_matches_qdrants_scan_through_rewrites_and_deletes() -> None:
    rng = random.Random(11)
    indexed = QdrantVectorStore(collection="a", in_memory=True)
    scanned = QdrantVectorStore(collection="b", in_memory=True, local_index=False)
    for store in (indexed, scanned):
        store.ensure_collection(DIMENSION)
    brief_ids = [f"brief-{i}" for i in range(60)]
    batch = [(b, _brief(rng, b, rng.randrange(0, 5))) for b in brief_ids]
    rewrites = [(b, _brief(rng, b, rng.randrange(0, 5))) for b in rng.sample(brief_ids, 20)]
    deleted = rng.sample(brief_ids, 10)
    for store in (indexed, scanned):
        store.replace_briefs(batch)
        store.replace_briefs(rewrites)
        for brief_id in deleted:
            store.delete_brief(brief_id)
    for filter in _filters(rng, brief_ids):
        query = _unit(rng)
        for limit in (1, 5, 300):
            assert _ranked(indexed, query, limit, filter) == _ranked(scanned, query, limit, filter), filter
        hits = indexed.search(query, 5, filter)
        assert [round(h.score, 5) for h in hits] == [round(h.score, 5) for h in scanned.search(query, 5, filter)]


WORDS = [f"term{i}" for i in range(120)]


def _with_texts(rng: random.Random, points: list[PassagePoint]) -> list[PassagePoint]:
    """Passages of a few words each, so the keyword half has terms to rank (and few exact ties)."""
    return [
        p.model_copy(update={"text": " ".join(rng.choices(WORDS, k=rng.randrange(3, 30)))}) if p.kind != "brief" else p
        for p in points
    ]


def test_keyword_half_and_fusion_match_qdrants() -> None:
    """The BM25 half scores exactly as Qdrant's IDF-modified sparse search, and the fusion is Qdrant's RRF of the
    two halves. (Equal BM25 scores are common; Qdrant orders such ties arbitrarily, so sets are compared above
    the last score of a list, and the fusion on the index's own halves.)"""
    rng = random.Random(23)
    store = QdrantVectorStore(collection="a", in_memory=True, hybrid=True)
    store.ensure_collection(DIMENSION)
    brief_ids = [f"brief-{i}" for i in range(50)]
    store.replace_briefs([(b, _with_texts(rng, _brief(rng, b, rng.randrange(1, 5)))) for b in brief_ids])
    store.replace_briefs([(b, _with_texts(rng, _brief(rng, b, rng.randrange(1, 5)))) for b in brief_ids[10:25]])
    for brief_id in brief_ids[:5]:
        store.delete_brief(brief_id)
    index = store._indexes["a"]
    compared = 0
    for filter in _filters(rng, brief_ids):
        if filter.kind == "brief":
            continue
        keywords = query_sparse(terms(" ".join(rng.sample(WORDS, rng.randrange(1, 5))) + " unknownword"))
        vector = _unit(rng)
        for limit in (3, 10, 300):
            ours = [(i, round(score, 4)) for i, score in index.search_keywords(keywords.indices, limit, filter)]
            theirs = [
                (str(p.id), round(p.score, 4))
                for p in store._client.query_points(
                    "a", query=keywords, using=KEYWORDS, limit=limit, query_filter=_to_filter(filter)
                ).points
            ]
            assert [score for _, score in ours] == [score for _, score in theirs], (filter, limit)
            last = ours[-1][1] if ours else 0.0
            assert {i for i, sc in ours if sc > last} == {i for i, sc in theirs if sc > last}, (filter, limit)
            compared += len(ours)

            def scored(ranking: list[tuple[str, float]]) -> list[models.ScoredPoint]:
                return [models.ScoredPoint(id=i, version=0, score=sc) for i, sc in ranking]

            halves = [
                scored(index.search(vector, limit, filter)),
                scored(index.search_keywords(keywords.indices, limit, filter)),
            ]
            expected = [(str(p.id), round(p.score, 9)) for p in reciprocal_rank_fusion(halves, limit=limit)]
            fused = [(i, round(sc, 9)) for i, sc in index.search_hybrid(vector, keywords.indices, limit, filter)]
            assert fused == expected, (filter, limit)
    assert compared > 40


def test_a_reopened_folder_rebuilds_the_index(tmp_path: Path) -> None:
    rng = random.Random(5)
    points = {b: _brief(rng, b, 3) for b in ("a", "b", "c")}
    store = QdrantVectorStore(collection="c", path=tmp_path)
    store.ensure_collection(DIMENSION)
    store.replace_briefs(list(points.items()))
    store.delete_brief("b")
    query = points["a"][2].vector
    before = _ranked(store, query, 10, VectorFilter(kind="passage"))
    keyword_hits = [h.point.point_id for h in store.search(query, 10, VectorFilter(kind="passage"), text="term3 term7")]
    store.close()
    reopened = QdrantVectorStore(collection="c", path=tmp_path)
    reopened.ensure_collection(DIMENSION)
    try:
        assert _ranked(reopened, query, 10, VectorFilter(kind="passage")) == before
        reread = reopened.search(query, 10, VectorFilter(kind="passage"), text="term3 term7")
        assert [h.point.point_id for h in reread] == keyword_hits
        assert before[0] == points["a"][2].point_id and len(before) == 6
        assert {h.point.brief_id for h in reopened.search(query, 10, VectorFilter(kind="brief"))} == {"a", "c"}
    finally:
        reopened.close()


def test_rewritten_rows_are_compacted_without_changing_answers() -> None:
    rng = random.Random(3)
    index = DenseIndex(DIMENSION)
    vectors = {f"p{i}": _unit(rng) for i in range(50)}
    for _round in range(60):  # 3,000 writes of 50 points: dead rows pass the compaction threshold
        index.upsert(
            IndexedPoint(point_id=p, vector=v, brief_id=f"b{p}", date_number=None, actors=("ISR",))
            for p, v in vectors.items()
        )
    assert len(index) == 50
    query = vectors["p7"]
    ranked = index.search(query, 3, VectorFilter(actors_all=("ISR",)))
    assert ranked[0][0] == "p7" and ranked[0][1] == pytest.approx(1.0, abs=1e-5)
    index.delete_brief("bp7")
    assert "p7" not in {p for p, _ in index.search(query, 50, VectorFilter())}
    assert len(index.search(query, 100, VectorFilter())) == 49
    assert index.search(query, 5, VectorFilter(actors_all=("TUR",))) == []
