"""Hybrid (dense + BM25) passage search inside Qdrant: the recipe retrieval_quality.py measures as
`qdrant_hybrid`, written so it can move into core/adapters/qdrant_store.py and services/queries.search as is.

- The collection gets a named dense vector ("dense", cosine) and a sparse vector ("bm25") with
  `modifier=Modifier.IDF`, so Qdrant keeps the document frequencies and applies IDF at query time (local mode and
  server alike; no vocabulary file of ours).
- A passage's sparse vector: each term (accents folded, stop words dropped, light-stemmed: `terms`) hashed to a stable
  31-bit index, weighted with BM25's document side tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / AVG_LEN)).
- A query's sparse vector: its distinct terms, weight 1.
- One `query_points` with two `Prefetch`es (dense and bm25, each with the search filter) fused by
  `FusionQuery(fusion=Fusion.RRF)`, then grouped by brief as search() already groups (best passage first).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

from qdrant_client import QdrantClient, models

K1 = 1.2
B = 0.75
AVG_LEN = 40.0  # mean terms per passage (title + text) on the demo corpus; a constant is enough for the length norm


_STOP_WORDS = (
    "a an the and or of in on at to for with from by as is are was were be been has have had how what when who "
    "which where why did does do since over between into about their they its it this that these those after "
    "before during than then there any all more most new"
)
_STOP = frozenset(_STOP_WORDS.split())


def fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def terms(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(text).replace("'s", ""))
    return [_stem(w) for w in words if w not in _STOP and len(w) > 1]


def _stem(word: str) -> str:
    """A light plural/verb-ending fold so 'strikes'/'strike', 'talks'/'talk', 'ceasefires' meet."""
    for suffix, keep in (("ies", "y"), ("es", ""), ("s", ""), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


def term_index(term: str) -> int:
    return zlib.crc32(term.encode()) & 0x7FFFFFFF


def document_sparse(terms: Sequence[str]) -> models.SparseVector:
    counts = Counter(terms)
    norm = K1 * (1 - B + B * len(terms) / AVG_LEN)
    weights: dict[int, float] = {}
    for term, tf in counts.items():  # hash collisions add up, as a shared term would
        index = term_index(term)
        weights[index] = weights.get(index, 0.0) + tf * (K1 + 1) / (tf + norm)
    indices = sorted(weights)
    return models.SparseVector(indices=indices, values=[weights[i] for i in indices])


def query_sparse(terms: Sequence[str]) -> models.SparseVector:
    indices = sorted({term_index(t) for t in terms})
    return models.SparseVector(indices=indices, values=[1.0] * len(indices))


class HybridIndex:
    """An in-memory Qdrant collection of the given passages (PassagePoint with vectors)."""

    def __init__(self, passages: Sequence[Any], collection: str = "hybrid") -> None:
        self._client = QdrantClient(location=":memory:")
        self._collection = collection
        dimension = len(passages[0].vector)
        self._client.create_collection(
            collection,
            vectors_config={"dense": models.VectorParams(size=dimension, distance=models.Distance.COSINE)},
            sparse_vectors_config={"bm25": models.SparseVectorParams(modifier=models.Modifier.IDF)},
        )
        self._client.upsert(
            collection,
            points=[
                models.PointStruct(
                    id=p.point_id,
                    vector={"dense": list(p.vector), "bm25": document_sparse(terms(f"{p.title}. {p.text}"))},
                    payload={"brief_id": p.brief_id, "kind": p.kind},
                )
                for p in passages
            ],
        )

    def search(self, vector: Sequence[float], query_terms: Sequence[str], k: int) -> list[str]:
        """Brief ids, best first, as search() would rank them (limit k*6 passages, grouped by brief)."""
        only_passages = models.Filter(
            must=[models.FieldCondition(key="kind", match=models.MatchValue(value="passage"))]
        )
        limit = min(k * 6, 300)
        response = self._client.query_points(
            self._collection,
            prefetch=[
                models.Prefetch(query=list(vector), using="dense", limit=limit, filter=only_passages),
                models.Prefetch(query=query_sparse(query_terms), using="bm25", limit=limit, filter=only_passages),
            ],
            query=models.FusionQuery(fusion=models.Fusion.RRF),
            limit=limit,
            with_payload=["brief_id"],
        )
        ranked: list[str] = []
        for point in response.points:
            brief_id = str((point.payload or {})["brief_id"])
            if brief_id not in ranked:
                ranked.append(brief_id)
        return ranked[:k]
