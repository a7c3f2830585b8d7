"""The write path: read sources -> parse -> extract -> embed -> write vectors, then the graph.

Writes go to the vector store first and the graph second, each replacing the brief's previous contribution.
A brief counts as stored when both stores hold its content hash; anything else (a crash between the two
writes, a store that failed) is rewritten by the next run of the same ingest, and `check` reports it.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tqdm import tqdm

from core.adapters.vector_points import point_id
from core.bootstrap import Stores
from core.errors import (
    BriefgraphError,
    InvalidInputError,
    NotFoundError,
    StoreError,
    StoreUnavailableError,
    UnreadableBriefError,
)
from core.models import (
    Actor,
    ActorMerge,
    Brief,
    BriefInfo,
    BriefOutcome,
    CopyCandidate,
    ExtractedBrief,
    IngestReport,
    PassagePoint,
    ReplacedText,
)
from core.ports import GraphStore
from ingest import copies
from ingest.extract_pool import extracted_in_workers
from ingest.extraction import Extractor
from ingest.extraction.build import build_extractor
from ingest.parse import entry_brief_id, parse_brief
from ingest.sources import RawBrief, SourceFailure, iter_files, read_file, records_to_raw

log = logging.getLogger(__name__)

T = TypeVar("T")

PASSAGE_MAX_WORDS = 90
PASSAGE_MAX_SENTENCES = 3


class _Stopwatch:
    """Seconds per stage, each stage its own: a stage timed inside another (finding a batch's copies while
    extraction asks for that batch) is taken out of the outer one, so the stages add up to no more than the run."""

    def __init__(self, totals: dict[str, float]) -> None:
        self._totals = totals
        self._inner = 0.0  # seconds of stages timed inside the one running now

    def time(self, stage: str, function: Callable[[], T]) -> T:
        started = time.perf_counter()
        outer_inner, self._inner = self._inner, 0.0
        try:
            return function()
        finally:
            elapsed = time.perf_counter() - started
            self._totals[stage] = self._totals.get(stage, 0.0) + elapsed - self._inner
            self._inner = outer_inner + elapsed


class IngestPipeline:
    """Ingests briefs into both stores. Safe to run again: unchanged briefs are skipped, edited ones replaced."""

    def __init__(
        self,
        stores: Stores,
        extractor: Extractor | None = None,
        *,
        batch_size: int | None = None,
        retries: int = 3,
        retry_delay_s: float = 0.5,
        workers: int | None = None,
    ) -> None:
        """batch_size: briefs extracted, embedded and written together; workers: extraction processes running
        ahead of embedding (both default to the ingest settings; a given `extractor` runs in-process unless
        workers are asked for, since workers load their own)."""
        self._stores = stores
        self._extractor = extractor
        if workers is None:
            workers = stores.settings.ingest.extraction_workers() if extractor is None else 0
        self._workers = workers
        self._batch_size = batch_size or stores.settings.ingest.batch_size
        self._retries = retries
        self._retry_delay_s = retry_delay_s

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            settings = self._stores.settings.ingest
            self._extractor = build_extractor(self._stores.registry, settings)
        return self._extractor

    # ------------------------------------------------------------------ entry points

    def ingest_paths(self, paths: Sequence[Path], *, force: bool = False, progress: bool = False) -> IngestReport:
        report = IngestReport()
        raws: list[RawBrief] = []
        max_bytes = self._stores.settings.ingest.max_file_bytes
        for path in paths:
            try:
                files = list(iter_files(path))
            except UnreadableBriefError as error:
                report.outcomes.append(
                    BriefOutcome(source=str(path), brief_id=None, status="skipped", detail=str(error))
                )
                continue
            for file in files:
                failures: list[SourceFailure] = []
                try:
                    raws.extend(read_file(file, max_bytes, failures))
                except UnreadableBriefError as error:
                    report.outcomes.append(
                        BriefOutcome(
                            source=str(file), brief_id=None, status="skipped", detail=_reason(error, str(file))
                        )
                    )
                except OSError as error:
                    report.outcomes.append(
                        BriefOutcome(source=str(file), brief_id=None, status="skipped", detail=f"cannot read: {error}")
                    )
                # bad records of a JSON list / bad lines of a JSON Lines file; the file's good records go on
                report.outcomes.extend(
                    BriefOutcome(source=failure.source, brief_id=None, status="skipped", detail=failure.reason)
                    for failure in failures
                )
        return self.ingest_raw(raws, force=force, progress=progress, report=report)

    def ingest_raw(
        self,
        raws: Sequence[RawBrief],
        *,
        force: bool = False,
        progress: bool = False,
        report: IngestReport | None = None,
    ) -> IngestReport:
        report = report or IngestReport()
        started = time.perf_counter()
        watch = _Stopwatch(report.stage_seconds)
        stored, known = self._retrying(self._stored_hashes)
        seen_ids: set[str] = set()
        bar = tqdm(total=len(raws), unit="brief", desc="ingest", dynamic_ncols=True) if progress else None
        parsed: list[Brief | BriefOutcome] = [self._parse(raw, report, watch) for raw in raws]
        identities = _Identities(self._stores.graph, stored)
        identities.note_input([item for item in parsed if isinstance(item, Brief)])
        to_write: list[Brief] = []
        replacing: dict[str, BriefInfo] = {}
        for item in parsed:
            outcome = item if isinstance(item, BriefOutcome) else None
            if isinstance(item, Brief):
                brief = identities.identify(item)
                outcome = self._not_written(brief, seen_ids, known, force)
                if outcome is None:
                    previous = identities.replaced_by(brief)
                    if previous is not None:
                        replacing[brief.id] = previous
                    to_write.append(brief)
            if outcome is not None:
                report.outcomes.append(outcome)
                if bar is not None:
                    bar.update(1)
        # the run's briefs are matched with each other batch by batch, as extraction asks for the next batch: at 100k
        # briefs doing it all first took minutes in which nothing else ran and the progress bar stood still
        batches = list(_batches(to_write, self._batch_size))
        linked = self._with_origins(batches, watch, graph_held_briefs=bool(stored))
        written_from = len(report.outcomes)
        for extracted in self._extracted(linked, len(batches), watch):
            self._embed_write(extracted, report, watch)
            if bar is not None:
                bar.update(len(extracted))
        if bar is not None:
            bar.close()
        replaced = _mark_replaced(report.outcomes[written_from:], replacing, {brief.id: brief for brief in to_write})
        if replaced:
            try:
                self._retrying(lambda: self._stores.graph.record_replaced(replaced))
            except BriefgraphError as error:  # the briefs are written; only the log for `check` is missing
                log.warning("could not log %d replaced texts for `briefgraph check`: %s", len(replaced), error)
        report.seconds = time.perf_counter() - started
        return report

    def _parse(self, raw: RawBrief, report: IngestReport, watch: _Stopwatch) -> Brief | BriefOutcome:
        """The parsed brief (its id still the one its URL or text gives), or why it cannot be read."""
        try:
            brief, notes = watch.time("parse", lambda: parse_brief(raw))
        except UnreadableBriefError as error:
            return BriefOutcome(source=raw.source, brief_id=None, status="skipped", detail=_reason(error, raw.source))
        report.warnings.extend((raw.source, warning) for warning in notes.warnings)
        return brief

    def _with_origins(
        self, batches: Sequence[Sequence[Brief]], watch: _Stopwatch, *, graph_held_briefs: bool = True
    ) -> Iterator[list[Brief]]:
        """Each batch with its briefs' copy keys and origins (ingest/copies.py): the origin of a brief stored
        before this run, or of one earlier in this run, that it is an exact or near copy of; else its own.

        The graph is asked first, for every brief, before anything of this run is written (nothing to ask when it
        held no briefs); the run's own briefs are then matched batch by batch as extraction asks for the next
        batch. Asking the graph batch by batch instead made each lookup return the run's own written briefs,
        ever more of them: a 100k ingest fell to ~7 briefs/s."""
        graph = self._stores.graph
        run_ids = frozenset(brief.id for batch in batches for brief in batch)
        prepared: dict[str, tuple[str, tuple[str, ...]]] = {}  # brief id -> (body, copy keys), made once
        stored_candidates: dict[str, list[CopyCandidate]] = {}

        def prepare(brief: Brief) -> tuple[str, tuple[str, ...]]:
            body = copies.body_text(brief.text)
            return body, copies.copy_keys(body)

        def ask_graph() -> None:
            for batch in batches:
                for brief in batch:
                    _, keys = prepared[brief.id] = prepare(brief)
                    lookup = functools.partial(graph.copy_candidates, keys, run_ids, copies.MAX_CANDIDATES)
                    stored_candidates[brief.id] = self._retrying(lookup)

        if graph_held_briefs:
            watch.time("copies", ask_graph)
        in_run: dict[str, list[Brief]] = {}  # copy key -> briefs of this run indexed under it
        bodies: dict[str, str] = {}

        def body_of(brief_id: str) -> str | None:
            if brief_id not in bodies:
                info = graph.get_brief(brief_id)
                if info is None:
                    return None
                bodies[brief_id] = copies.body_text("\n\n".join(section.text for section in info.sections))
            return bodies[brief_id]

        def link(brief: Brief) -> Brief:
            body, keys = prepared.pop(brief.id) if brief.id in prepared else prepare(brief)
            shared: dict[str, tuple[str, set[str]]] = {}
            for candidate in stored_candidates.pop(brief.id, ()):
                if candidate.origin is not None:
                    shared[candidate.brief_id] = (candidate.origin, set(candidate.shared_keys))
            for key in keys:
                for earlier in in_run.get(key, ()):
                    if earlier.id != brief.id and earlier.origin is not None:
                        shared.setdefault(earlier.id, (earlier.origin, set()))[1].add(key)
            candidates = [
                copies.Candidate(brief_id=brief_id, origin=origin, shared=len(common), exact=keys[0] in common)
                for brief_id, (origin, common) in shared.items()
            ]
            origin = copies.choose_origin(keys, body, candidates, body_of)
            linked = brief.model_copy(update={"origin": origin, "copy_keys": keys})
            bodies[brief.id] = body
            for key in keys:
                in_run.setdefault(key, []).append(linked)
            return linked

        for batch in batches:
            yield watch.time("copies", functools.partial(_linked, link, batch))

    @staticmethod
    def _not_written(brief: Brief, seen_ids: set[str], known: Mapping[str, str], force: bool) -> BriefOutcome | None:
        """The outcome of a brief that will not be written (a duplicate in this run, unchanged), else None."""
        if brief.id in seen_ids:
            detail = "duplicate of a brief earlier in this run"
            return BriefOutcome(
                source=brief.source, brief_id=brief.id, status="skipped", detail=detail, title=brief.title
            )
        seen_ids.add(brief.id)
        if not force and known.get(brief.id) == brief.content_hash:
            return BriefOutcome(source=brief.source, brief_id=brief.id, status="unchanged", title=brief.title)
        return None

    def _extracted(
        self, batches: Iterable[Sequence[Brief]], count: int, watch: _Stopwatch
    ) -> Iterator[list[ExtractedBrief]]:
        """Each of the `count` batches extracted, with analysts' merges applied: in worker processes running
        ahead of embedding when there is more than one batch and workers are configured, else here. `batches` is
        read as extraction needs the next one."""
        targets = self._merge_targets()
        settings = self._stores.settings.ingest
        if self._workers > 0 and count > 1:
            results = extracted_in_workers(
                batches,
                workers=self._workers,
                settings=settings,
            )
        else:
            results = (list(self.extractor.extract_many(batch)) for batch in batches)
        while True:
            # with workers this is the wait for the next batch, i.e. the extraction time embedding did not hide
            batch_result = watch.time("extract", lambda: next(results, None))
            if batch_result is None:
                return
            yield [item.with_merges(targets) for item in batch_result]

    def ingest_records(self, records: Sequence[Mapping[str, Any]], *, source: str) -> IngestReport:
        failures: list[SourceFailure] = []
        raws = records_to_raw(records, source, failures)
        report = IngestReport(
            outcomes=[
                BriefOutcome(source=failure.source, brief_id=None, status="skipped", detail=failure.reason)
                for failure in failures
            ]
        )
        return self.ingest_raw(raws, report=report)

    def rewrite(self, briefs: Sequence[Brief]) -> IngestReport:
        """Write already parsed briefs to both stores again (drift repair, actor merges and splits)."""
        report = IngestReport()
        watch = _Stopwatch(report.stage_seconds)
        batches = list(_batches(briefs, self._batch_size))
        for extracted in self._extracted(batches, len(batches), watch):
            self._embed_write(extracted, report, watch)
        return report

    def rewrite_stored(self, brief_ids: Sequence[str]) -> IngestReport:
        """Re-extract and rewrite briefs from the text the graph keeps of them, keeping their origins; a brief
        written before copy detection (no origin) gets its copy keys and origin as a new brief would."""
        briefs = []
        for brief_id in brief_ids:
            info = self._stores.graph.get_brief(brief_id)
            if info is not None:
                sections = tuple(s.model_copy(update={"sentences": ()}) for s in info.sections)
                body = copies.body_text("\n\n".join(section.text for section in sections))
                briefs.append(
                    Brief(
                        id=info.id,
                        title=info.title,
                        date=info.date,
                        url=info.url,
                        source=info.source,
                        sections=sections,
                        content_hash=info.content_hash,
                        origin=info.origin,
                        copy_keys=copies.copy_keys(body),
                    )
                )
        unlinked = [brief for brief in briefs if brief.origin is None]
        batches = self._with_origins([unlinked], _Stopwatch({}))
        linked = {brief.id: brief for batch in batches for brief in batch}
        return self.rewrite([linked.get(brief.id, brief) for brief in briefs])

    def _embed_write(self, extracted: list[ExtractedBrief], report: IngestReport, watch: _Stopwatch) -> None:
        points = watch.time("embed", lambda: self._points(extracted))
        report.outcomes.extend(self._write_batch(extracted, points, watch))

    def _merge_targets(self) -> dict[str, Actor]:
        targets: dict[str, Actor] = {}
        for merge in self._stores.graph.merges():
            actor = self._actor(merge.target_id)
            if actor is not None:
                targets[merge.source_id] = actor
        return targets

    def _actor(self, actor_id: str) -> Actor | None:
        """An actor as stored, or as the registry knows it when no brief has named it yet."""
        stored = self._stores.graph.get_actor(actor_id)
        known = stored or self._stores.registry.get(actor_id)
        if known is None:
            return None
        return Actor(id=known.id, name=known.name, kind=known.kind, code=known.code, aliases=known.aliases)

    # ------------------------------------------------------------------ analysts' merges

    def merge_actors(self, source_id: str, target_id: str, reason: str) -> tuple[ActorMerge, int]:
        graph = self._stores.graph
        if source_id == target_id:
            raise InvalidInputError("an actor cannot be merged into itself")
        if graph.get_actor(source_id) is None:
            raise NotFoundError(f"no actor with id {source_id!r}")
        if self._actor(target_id) is None:
            raise NotFoundError(f"no actor with id {target_id!r}")
        existing = {m.source_id: m.target_id for m in graph.merges()}
        if target_id in existing:
            raise InvalidInputError(f"{target_id!r} is itself merged into {existing[target_id]!r}; merge into that")
        merge = ActorMerge(
            source_id=source_id,
            target_id=target_id,
            reason=reason.strip(),
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        affected = graph.briefs_of_actor(source_id)
        graph.record_merge(merge)
        log.info("merged actor %s into %s (%s); rewriting %d briefs", source_id, target_id, reason, len(affected))
        report = self.rewrite_stored(affected)
        return merge, len(report.of("ingested"))

    def split_actor(self, source_id: str) -> tuple[ActorMerge, int]:
        graph = self._stores.graph
        merge = next((m for m in graph.merges() if m.source_id == source_id), None)
        if merge is None:
            raise NotFoundError(f"actor {source_id!r} is not merged into another")
        affected = graph.briefs_of_actor(merge.target_id)
        graph.remove_merge(source_id)
        log.info("split actor %s from %s; rewriting %d briefs", source_id, merge.target_id, len(affected))
        report = self.rewrite_stored(affected)
        return merge, len(report.of("ingested"))

    def delete(self, brief_id: str) -> bool:
        """Remove a brief from both stores; True if either held it."""
        in_vectors = self._retrying(lambda: self._stores.vectors.delete_brief(brief_id))
        in_graph = self._retrying(lambda: self._stores.graph.delete_brief(brief_id))
        return in_vectors or in_graph

    # ------------------------------------------------------------------ steps

    def _stored_hashes(self) -> tuple[dict[str, str], dict[str, str]]:
        """The graph's hash per brief (what a write would replace), and the hash per brief where both stores
        agree (a brief missing from either store is not 'known', so it is written again)."""
        graph = self._stores.graph.brief_hashes()
        vectors = self._stores.vectors.brief_hashes()
        return graph, {brief_id: digest for brief_id, digest in graph.items() if vectors.get(brief_id) == digest}

    def _points(self, extracted: Sequence[ExtractedBrief]) -> list[list[PassagePoint]]:
        """Embed every passage of the batch in one call; a brief's own vector is the normalised mean of its
        title and passages, so it stands for the whole text rather than the model's first 256 tokens."""
        planned = [passages(item) for item in extracted]
        texts = [text for brief_plan in planned for text, _ in brief_plan[1:]]
        titles = [item.brief.title for item in extracted]
        # two calls: in one, short titles would be padded to the length of the passages they share a batch with
        title_vectors = iter(self._stores.embedder.embed(titles))
        passage_vectors = iter(self._stores.embedder.embed(texts))
        result: list[list[PassagePoint]] = []
        for brief_plan in planned:
            own = [next(passage_vectors) for _ in brief_plan[1:]]
            brief_vector = _normalised_mean([next(title_vectors), *own])
            points = [brief_plan[0][1].model_copy(update={"vector": tuple(brief_vector)})]
            points += [
                point.model_copy(update={"vector": tuple(v)}) for (_, point), v in zip(brief_plan[1:], own, strict=True)
            ]
            result.append(points)
        return result

    def _write_batch(
        self, extracted: Sequence[ExtractedBrief], points: Sequence[list[PassagePoint]], watch: _Stopwatch
    ) -> list[BriefOutcome]:
        """One write per store for the whole batch; if that fails, brief by brief, so that only the briefs that
        cannot be written are reported failed."""
        try:
            self._write(extracted, points, watch)
        except BriefgraphError as error:
            if len(extracted) == 1:
                return [_outcome(extracted[0], error)]
            log.warning("batch write of %d briefs failed (%s); writing them one by one", len(extracted), error)
            outcomes = []
            for item, brief_points in zip(extracted, points, strict=True):
                try:
                    self._write([item], [brief_points], watch)
                except BriefgraphError as single_error:
                    outcomes.append(_outcome(item, single_error))
                else:
                    outcomes.append(_outcome(item, None))
            return outcomes
        return [_outcome(item, None) for item in extracted]

    def _write(
        self, extracted: Sequence[ExtractedBrief], points: Sequence[list[PassagePoint]], watch: _Stopwatch
    ) -> None:
        vector_batch = [(item.brief.id, brief_points) for item, brief_points in zip(extracted, points, strict=True)]
        watch.time("write_vectors", lambda: self._retrying(lambda: self._stores.vectors.replace_briefs(vector_batch)))
        watch.time("write_graph", lambda: self._retrying(lambda: self._stores.graph.replace_briefs(extracted)))

    def _retrying(self, action: Callable[[], T]) -> T:
        delay = self._retry_delay_s
        for attempt in range(1, self._retries + 1):
            try:
                return action()
            except StoreUnavailableError as error:
                if attempt == self._retries:
                    raise
                log.warning(
                    "store unavailable (attempt %d of %d), retrying in %.1f s: %s", attempt, self._retries, delay, error
                )
                time.sleep(delay)
                delay *= 2
            except StoreError:
                raise
        raise AssertionError("unreachable")


def passages(item: ExtractedBrief) -> list[tuple[str, PassagePoint]]:
    """The texts to embed for a brief, each with its point (vector still empty): the whole brief, then windows
    of up to three sentences within each section."""
    brief = item.brief
    actors_by_sentence: dict[int, set[str]] = {}
    for mention in item.mentions:
        actors_by_sentence.setdefault(mention.sentence_index, set()).add(mention.actor_id)
    events_by_sentence: dict[int, set[str]] = {}
    for interaction in item.interactions:
        for actor_id in (interaction.source_id, interaction.target_id):
            actors_by_sentence.setdefault(interaction.sentence_index, set()).add(actor_id)
        events_by_sentence.setdefault(interaction.sentence_index, set()).add(interaction.event_type.value)

    def point(
        kind: str,
        index: int,
        text: str,
        section: str | None,
        first: int | None,
        last: int | None,
        sentence_range: Iterable[int],
    ) -> PassagePoint:
        indices = list(sentence_range)
        return PassagePoint(
            point_id=point_id(brief.id, kind, index),
            brief_id=brief.id,
            kind=kind,
            text=text,
            title=brief.title,
            date=brief.date,
            section=section,
            sentence_start=first,
            sentence_end=last,
            actors=tuple(sorted(set().union(*(actors_by_sentence.get(i, set()) for i in indices)))),
            event_types=tuple(sorted(set().union(*(events_by_sentence.get(i, set()) for i in indices)))),
            content_hash=brief.content_hash,
        )

    all_indices = [s.index for _, s in brief.sentences()]
    plan = [(f"{brief.title}. {brief.text}", point("brief", 0, brief.text[:2000], None, None, None, all_indices))]
    count = 0
    for section in brief.sections:
        window: list[str] = []
        window_indices: list[int] = []
        for sentence in (*section.sentences, None):
            full = sentence is None or (
                window
                and (
                    len(window) >= PASSAGE_MAX_SENTENCES
                    or len(" ".join(window).split()) + len(sentence.text.split()) > PASSAGE_MAX_WORDS
                )
            )
            if full and window:
                text = " ".join(window)
                plan.append(
                    (
                        text,
                        point(
                            "passage", count, text, section.name, window_indices[0], window_indices[-1], window_indices
                        ),
                    )
                )
                count += 1
                window, window_indices = [], []
            if sentence is not None:
                window.append(sentence.text)
                window_indices.append(sentence.index)
    return plan


def _normalised_mean(vectors: Sequence[Sequence[float]]) -> list[float]:
    mean = [sum(column) / len(vectors) for column in zip(*vectors, strict=True)]
    norm = math.sqrt(sum(x * x for x in mean)) or 1.0
    return [x / norm for x in mean]


def _outcome(item: ExtractedBrief, error: BriefgraphError | None) -> BriefOutcome:
    brief = item.brief
    if error is not None:
        return BriefOutcome(
            source=brief.source,
            brief_id=brief.id,
            status="failed",
            detail=f"could not write: {error}",
            title=brief.title,
        )
    return BriefOutcome(
        source=brief.source,
        brief_id=brief.id,
        status="ingested",
        title=brief.title,
        actors=len(item.actors),
        interactions=len(item.interactions),
    )


class _Identities:
    """Gives each parsed brief its final id, by the rule in ingest/parse.py (README, "How a brief is
    identified"): a URL with a fragment names one brief; under a URL without one, briefs with different
    titles or dates are different entries of one page and each gets its entry id (entry_brief_id), while the same
    title and date again is the same brief (an edit replaces it). Also tells which writes replace a stored brief
    with different content."""

    def __init__(self, graph: GraphStore, stored: Mapping[str, str]) -> None:
        self._graph = graph
        self._stored = stored
        self._infos: dict[str, BriefInfo | None] = {}
        self._entries_per_url: dict[str, set[tuple[str, dt.date | None]]] = {}

    def note_input(self, briefs: Sequence[Brief]) -> None:
        """The briefs of one input (a run of files, one API request): several entries under one bare URL in it
        make that URL a page of several briefs."""
        for brief in briefs:
            if brief.url is not None and not urlsplit(brief.url).fragment:
                self._entries_per_url.setdefault(brief.url, set()).add(_entry_key(brief.title, brief.date))

    def identify(self, brief: Brief) -> Brief:
        url = brief.url
        if url is None or urlsplit(url).fragment or self._stored.get(brief.id) == brief.content_hash:
            return brief
        entry_id = entry_brief_id(url, brief.title, brief.date)
        at_url = self._info(brief.id) if brief.id in self._stored else None
        if at_url is not None and _entry_key(at_url.title, at_url.date) == _entry_key(brief.title, brief.date):
            return brief  # the brief stored under the URL, edited
        several = len(self._entries_per_url.get(url, ())) > 1
        if entry_id in self._stored or several or at_url is not None:
            return brief.model_copy(update={"id": entry_id})
        return brief

    def replaced_by(self, brief: Brief) -> BriefInfo | None:
        """The stored brief this one will replace when its content differs, else None."""
        stored_hash = self._stored.get(brief.id)
        if stored_hash is None or stored_hash == brief.content_hash:
            return None
        return self._info(brief.id)

    def _info(self, brief_id: str) -> BriefInfo | None:
        if brief_id not in self._infos:
            self._infos[brief_id] = self._graph.get_brief(brief_id)
        return self._infos[brief_id]


def _entry_key(title: str, date: dt.date | None) -> tuple[str, dt.date | None]:
    return (" ".join(title.split()).casefold(), date)


def _mark_replaced(
    outcomes: Sequence[BriefOutcome], replacing: Mapping[str, BriefInfo], written: Mapping[str, Brief]
) -> list[ReplacedText]:
    """Written briefs that replaced a stored brief of different content are reported `replaced`, with what they
    replaced, and logged; returns the replaced texts for the graph's log (GraphStore.record_replaced)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    texts: list[ReplacedText] = []
    for outcome in outcomes:
        previous = replacing.get(outcome.brief_id or "")
        brief = written.get(outcome.brief_id or "")
        if outcome.status != "ingested" or previous is None or brief is None:
            continue
        old_body = copies.body_text("\n\n".join(section.text for section in previous.sections))
        same_story = copies.same_story(old_body, copies.body_text(brief.text))
        texts.append(
            ReplacedText(
                brief_id=previous.id,
                title=previous.title,
                date=previous.date,
                url=previous.url,
                source=previous.source,
                content_hash=previous.content_hash,
                replaced_by_hash=brief.content_hash,
                replaced_at=now,
                same_story=same_story,
                sections=() if same_story else previous.sections,
            )
        )
        outcome.status = "replaced"
        outcome.previous_title = previous.title
        outcome.previous_date = previous.date
        outcome.detail = f"replaced the stored brief {previous.title!r} ({previous.date or 'undated'})"
        log.warning(
            "brief %s from %s replaced the stored brief of the same id: was %r (%s), now %r",
            outcome.brief_id,
            outcome.source,
            previous.title,
            previous.date or "undated",
            outcome.title,
        )
    return texts


def _reason(error: UnreadableBriefError, source: str) -> str:
    message = str(error)
    return message[len(source) + 2 :] if message.startswith(f"{source}: ") else message


def _linked(link: Callable[[Brief], Brief], batch: Sequence[Brief]) -> list[Brief]:
    return [link(brief) for brief in batch]


def _batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
