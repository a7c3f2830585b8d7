"""Drift between the two stores, and its repair.

Ingest writes vectors first and the graph second, so an interrupted write leaves a brief in the vector store
only (or with a stale hash in one store). The graph keeps each brief's full sections, so a brief the graph
holds can always be rebuilt into the vector store; a brief only the vector store holds is removed and must be
ingested again from its source (re-running the same ingest does exactly that).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from core.bootstrap import Stores


class Drift(BaseModel):
    only_in_vectors: list[str] = Field(default_factory=list)
    only_in_graph: list[str] = Field(default_factory=list)
    hash_mismatch: list[str] = Field(default_factory=list)
    repaired: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not (self.only_in_vectors or self.only_in_graph or self.hash_mismatch)


def check_stores(stores: Stores, *, repair: bool = False) -> Drift:
    graph = stores.graph.brief_hashes()
    vectors = stores.vectors.brief_hashes()
    drift = Drift(
        only_in_vectors=sorted(set(vectors) - set(graph)),
        only_in_graph=sorted(set(graph) - set(vectors)),
        hash_mismatch=sorted(b for b in set(graph) & set(vectors) if graph[b] != vectors[b]),
    )
    if not repair or drift.consistent:
        return drift
    from ingest.pipeline import IngestPipeline

    pipeline = IngestPipeline(stores)
    for brief_id in drift.only_in_vectors:
        stores.vectors.delete_brief(brief_id)
        drift.removed.append(brief_id)
    rebuild = drift.only_in_graph + drift.hash_mismatch
    if rebuild:
        report = pipeline.rewrite_stored(rebuild)
        drift.repaired.extend(o.brief_id for o in report.of("ingested") if o.brief_id)
    return drift
