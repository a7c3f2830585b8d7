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

from collections.abc import Sequence
from typing import Any

from qdrant_client import QdrantClient, models

from core.adapters.sparse import document_sparse, query_sparse, terms


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
