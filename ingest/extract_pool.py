"""Extraction in worker processes that run ahead of embedding: while the main process embeds and writes one
batch, the workers parse the next ones with spaCy (`BRIEFGRAPH_INGEST__WORKERS`, 0 = extract in-process). The
workers run at a lower CPU priority (`BRIEFGRAPH_INGEST__WORKER_NICE`), so the embedder can take every core and
extraction fills whatever time it leaves."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

from core.models import Brief, ExtractedBrief
from core.registry import ActorRegistry
from core.settings import IngestSettings
from ingest.extraction import Extractor
from ingest.extraction.build import build_extractor

_extractor: Extractor | None = None  # one per worker process, loaded once by _start


def lower_priority(increment: int) -> int:
    """Lower this process's CPU priority by `increment` (os.nice; 0 leaves it) and return its niceness now."""
    return os.nice(increment) if increment > 0 else os.nice(0)


def _start(settings: IngestSettings) -> None:
    global _extractor
    lower_priority(settings.worker_nice)  # first, so that loading the models does not compete either
    _extractor = build_extractor(ActorRegistry.load(), settings)


def _extract(briefs: Sequence[Brief]) -> list[ExtractedBrief]:
    assert _extractor is not None, "worker started without _start"
    return list(_extractor.extract_many(briefs))


def extracted_in_workers(
    batches: Iterable[Sequence[Brief]], *, workers: int, settings: IngestSettings
) -> Iterator[list[ExtractedBrief]]:
    """Each batch's extraction, in input order, computed by `workers` processes up to `workers + 1` batches
    ahead. Spawned rather than forked: the parent holds torch's thread pool and open database handles."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start, initargs=(settings,)) as pool:
        pending: deque[Future[list[ExtractedBrief]]] = deque()
        remaining = iter(batches)
        for batch in remaining:
            pending.append(pool.submit(_extract, batch))
            if len(pending) > workers:
                break
        while pending:
            result = pending.popleft().result()
            following = next(remaining, None)
            if following is not None:
                pending.append(pool.submit(_extract, following))
            yield result
