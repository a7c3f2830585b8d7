"""Drift between the two stores, and its repair.

Ingest writes vectors first and the graph second, so an interrupted write leaves a brief in the vector store
only (or with a stale hash in one store). The graph keeps each brief's full sections, so a brief the graph
holds can always be rebuilt into the vector store; a brief only the vector store holds is removed and must be
ingested again from its source (re-running the same ingest does exactly that).

`check` also reports id collisions: brief ids under which a write replaced a *different* text (not an edit of
it: ingest/copies.py same_story), from the log the write path keeps (GraphStore.replaced_texts). The replaced
text is kept in that log; a collision is a finding to act on (give the two texts distinct URLs or anchors and
ingest the lost one again), not drift between the stores, so it does not change the exit status.

Briefs written before copy detection have no origin and no copy keys, so no later brief finds them as a copy
(an upgraded store may hold, under a page's URL without its anchor, an entry that is now also stored under its
anchored URL). `check` counts them; `check --repair` rewrites them with copy detection, which links such pairs.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from core.bootstrap import Stores


class IdCollision(BaseModel):
    """A brief id that held a different text before the one stored now."""

    brief_id: str
    title: str | None = Field(description="the title stored under the id now (None: the brief was deleted since)")
    replaced_title: str
    replaced_date: dt.date | None
    replaced_url: str | None
    replaced_source: str
    replaced_at: str


class Drift(BaseModel):
    only_in_vectors: list[str] = Field(default_factory=list)
    only_in_graph: list[str] = Field(default_factory=list)
    hash_mismatch: list[str] = Field(default_factory=list)
    repaired: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    id_collisions: list[IdCollision] = Field(
        default_factory=list, description="ids under which a write replaced a different text (not store drift)"
    )
    before_copy_detection: int = Field(
        default=0, description="briefs written before copy detection, without copy keys (--repair adds them)"
    )
    linked: list[str] = Field(default_factory=list, description="--repair: briefs given their copy keys and origin")

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
        id_collisions=id_collisions(stores),
    )
    drift.before_copy_detection = len(stores.graph.briefs_without_origin())
    if not repair:
        return drift
    if not drift.consistent:
        drift = _repaired(stores, drift)
    unlinked = stores.graph.briefs_without_origin() if drift.before_copy_detection else []
    if unlinked:
        from ingest.pipeline import IngestPipeline

        report = IngestPipeline(stores).rewrite_stored(unlinked)
        drift.linked = [o.brief_id for o in report.of("ingested") if o.brief_id]
    return drift


def id_collisions(stores: Stores) -> list[IdCollision]:
    """Each logged replacement of a different text under one id, oldest first."""
    found = []
    titles: dict[str, str | None] = {}
    for text in stores.graph.replaced_texts():
        if text.same_story:
            continue
        if text.brief_id not in titles:
            info = stores.graph.get_brief(text.brief_id)
            titles[text.brief_id] = info.title if info else None
        found.append(
            IdCollision(
                brief_id=text.brief_id,
                title=titles[text.brief_id],
                replaced_title=text.title,
                replaced_date=text.date,
                replaced_url=text.url,
                replaced_source=text.source,
                replaced_at=text.replaced_at,
            )
        )
    return found


def _repaired(stores: Stores, drift: Drift) -> Drift:
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
