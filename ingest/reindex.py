"""`briefgraph reindex`: rebuild the vector store from the briefs the graph keeps.

For the embedded store the new vectors are written into a staging folder beside the current one and swapped in
only when every brief is written, so an interrupted reindex leaves the store as it was; the replaced folder is
kept beside it (its path is reported) until the user deletes it. A data folder of the previous embedded store
(qdrant-client local mode) is left untouched. Each brief is re-extracted and re-embedded from its stored text,
as `ingest --force` would, so the graph's facts are rewritten too (the same, unless the extractor changed).
Against a Qdrant server the configured collection is rewritten in place: name a new
BRIEFGRAPH_VECTOR__COLLECTION to change embedder or keyword model there.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.bootstrap import Stores, build_stores
from core.settings import Settings

log = logging.getLogger(__name__)

STAGING_SUFFIX = ".reindexing"


@dataclass(frozen=True)
class ReindexResult:
    briefs: int
    failed: list[str]
    points: int
    replaced_folder: Path | None  # the embedded store's previous folder, kept beside the new one


def reindex(
    settings: Settings,
    *,
    default_threads: int | None = None,
    progress: Callable[[int], None] | None = None,
    open_stores: Callable[[Settings], Stores] | None = None,
) -> ReindexResult:
    """open_stores: how to open the stores of a settings object (tests pass a fake embedder); the default is
    build_stores with the previous layout allowed."""
    from ingest.pipeline import IngestPipeline

    def default_open(target: Settings) -> Stores:
        return build_stores(target, default_threads=default_threads, allow_legacy=True)

    opener = open_stores or default_open
    embedded = not settings.vector.url and not settings.vector.in_memory
    collection = settings.vector.collection
    live = settings.vector_path / collection
    staging_name = f"{collection}{STAGING_SUFFIX}"
    target = settings
    if embedded:
        shutil.rmtree(settings.vector_path / staging_name, ignore_errors=True)  # what an interrupted run left
        staged = settings.vector.model_copy(update={"collection": staging_name, "path": settings.vector_path})
        target = settings.model_copy(update={"vector": staged})
    stores = opener(target)
    try:
        brief_ids = sorted(stores.graph.brief_hashes())
        pipeline = IngestPipeline(stores)
        failed: list[str] = []
        batch = stores.settings.ingest.batch_size * 8  # a few extraction batches per call keeps the workers busy
        for start in range(0, len(brief_ids), batch):
            chunk = brief_ids[start : start + batch]
            report = pipeline.rewrite_stored(chunk)
            failed.extend(o.brief_id or o.source for o in report.outcomes if o.status == "failed")
            if progress is not None:
                progress(len(chunk))
        stores.vectors.optimize()
        points = stores.vectors.count()
    finally:
        stores.close()
    replaced: Path | None = None
    if embedded:
        if live.exists():
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            replaced = live.with_name(f"{collection}.before-reindex-{stamp}")
            live.rename(replaced)
        (settings.vector_path / staging_name).rename(live)
        log.info("reindexed %d briefs into %s", len(brief_ids), live)
    return ReindexResult(briefs=len(brief_ids), failed=failed, points=points, replaced_folder=replaced)
