"""Read-path logic behind the API and the CLI: search, similar briefs, actor look-up, dyad summaries, paths."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from core.alias_scan import scan_aliases, tokenize
from core.bootstrap import Stores
from core.errors import InvalidInputError, NotFoundError
from core.models import (
    ActorSummary,
    InteractionBucket,
    InteractionRecord,
    InteractionStats,
    VectorFilter,
    VectorHit,
)
from core.registry import normalise_name
from graph_schema.ontology import ActorKind, EventMode, EventType
from services.schemas import (
    BriefHit,
    DyadSummary,
    MonthSummary,
    PassageHit,
    PathStep,
    SimilarBrief,
)

MAX_K = 50
MAX_HOPS = 4
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9]{3,}")
_STOP = frozenset(
    {
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "from",
        "have",
        "has",
        "how",
        "what",
        "when",
        "who",
        "did",
        "does",
        "over",
        "since",
        "between",
        "into",
        "about",
        "their",
        "they",
        "were",
        "was",
        "are",
        "been",
        "its",
        "which",
        "where",
        "why",
    }
)


def check_range(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise InvalidInputError(f"'from' ({date_from}) is after 'to' ({date_to})")


def resolve_actor(stores: Stores, key: str) -> ActorSummary:
    """An actor by id, or by any name or alias the registry knows ('Turkey', 'Türkiye', 'Ankara' -> TUR)."""
    key = key.strip()
    if not key or len(key) > 200:
        raise InvalidInputError("actor must be a non-empty id or name of at most 200 characters")
    actor = stores.graph.get_actor(key)
    if actor is not None:
        return actor
    known = stores.registry.resolve(key)
    if known is not None:
        actor = stores.graph.get_actor(known.id)
        if actor is not None:
            return actor
        raise NotFoundError(f"actor {known.name!r} ({known.id}) is known but no stored brief mentions it")
    stored = _stored_by_name(stores, key)
    if stored is not None:
        return stored
    raise NotFoundError(f"no actor with id or name {key!r}; try GET /actors?q=")


def _stored_by_name(stores: Stores, key: str) -> ActorSummary | None:
    """An actor the registry lacks, which extraction found in the briefs ('Vladimir Medinsky'), by its stored
    name or alias, or a person by surname ('Medinsky'); None when no actor or more than one answers to it."""
    wanted = normalise_name(key)
    candidates = stores.graph.find_actors(key, 20)
    named = [a for a in candidates if wanted in {normalise_name(n) for n in (a.name, *a.aliases)}]
    if len(named) == 1:
        return named[0]
    by_surname = [
        a for a in candidates if a.kind is ActorKind.PERSON and normalise_name(a.name).split()[-1:] == [wanted]
    ]
    return by_surname[0] if len(by_surname) == 1 and not named else None


def query_terms(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)} - _STOP


def _highlights(text: str, terms: set[str]) -> list[str]:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    scored = sorted(((len(query_terms(s) & terms), i, s) for i, s in enumerate(sentences)), key=lambda x: (-x[0], x[1]))
    return [s for n, _, s in scored[:2] if n > 0]


RRF_K = 60


def group_hits(
    hits: Sequence[VectorHit], query: str, k: int, per_brief: int = 3, named: Sequence[str] = ()
) -> list[BriefHit]:
    """Passages grouped by brief, best first. With actors the query names, briefs are ordered by reciprocal rank
    fusion of their search rank and how many of those actors their passages hold (retrieval_quality.py)."""
    terms = query_terms(query)
    grouped: dict[str, list[VectorHit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.point.brief_id].append(hit)
    ranked = sorted(grouped.values(), key=lambda group: -max(h.score for h in group))
    if named:
        wanted = set(named)
        matched = {id(group): len(wanted & {a for h in group for a in h.point.actors}) for group in ranked}
        by_actors = sorted((g for g in ranked if matched[id(g)]), key=lambda g: -matched[id(g)])
        fused: dict[int, float] = defaultdict(float)
        for ranking in (ranked, by_actors):
            for position, group in enumerate(ranking):
                fused[id(group)] += 1.0 / (RRF_K + position + 1)
        ranked = sorted(ranked, key=lambda group: -fused[id(group)])
    return [
        BriefHit(
            brief_id=group[0].point.brief_id,
            title=group[0].point.title,
            date=group[0].point.date,
            score=max(h.score for h in group),
            passages=[
                PassageHit(
                    text=h.point.text,
                    section=h.point.section,
                    sentence_start=h.point.sentence_start,
                    sentence_end=h.point.sentence_end,
                    score=h.score,
                    highlights=_highlights(h.point.text, terms),
                )
                for h in group[:per_brief]
            ],
            actors=list(dict.fromkeys(actor for h in group[:per_brief] for actor in h.point.actors)),
        )
        for group in ranked[:k]
    ]


def named_actors(index: Mapping[str, str], text: str) -> list[str]:
    """Actor ids the text names through the registry's aliases, in order of first mention."""
    found: list[str] = []
    for _, _, actor_id in scan_aliases([token for token, _ in tokenize(text)], index):
        if actor_id not in found:
            found.append(actor_id)
    return found


def search(
    stores: Stores,
    query: str,
    k: int,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    actors: Sequence[str] = (),
    index: Mapping[str, str] | None = None,
) -> list[BriefHit]:
    """Hybrid passage search grouped by brief; with the registry's alias `index`, actors the query names
    lift the briefs that mention them."""
    query = query.strip()
    if not query:
        raise InvalidInputError("query 'q' must not be empty")
    if len(query) > 1_000:
        raise InvalidInputError("query 'q' must be at most 1000 characters")
    if not 1 <= k <= MAX_K:
        raise InvalidInputError(f"k must be between 1 and {MAX_K}")
    check_range(date_from, date_to)
    actor_ids = tuple(_actor_id_for_filter(stores, a) for a in actors)
    vector = stores.embedder.embed([query])[0]
    hits = stores.vectors.search(
        vector,
        limit=min(k * 6, 300),
        filter=VectorFilter(kind="passage", date_from=date_from, date_to=date_to, actors_all=actor_ids),
        text=query,  # hybrid: dense + BM25 by reciprocal rank fusion (benchmarks/RESULTS.md, retrieval quality)
    )
    return group_hits(hits, query, k, named=named_actors(index, query) if index else ())


def _actor_id_for_filter(stores: Stores, key: str) -> str:
    """Search filters work without the graph (it may be down): resolve names through the registry only."""
    known = stores.registry.get(key) or stores.registry.resolve(key)
    return known.id if known is not None else key


ACTOR_WEIGHT = 0.10
RECENCY_WEIGHT = 0.10
RECENCY_DAYS = 14.0


def similar(stores: Stores, brief_id: str, k: int) -> list[SimilarBrief]:
    """Nearest briefs by meaning, re-ranked by shared actors and closeness in time: two reports of the same
    event share both, while briefs on the same topic months apart share only words."""
    if not 1 <= k <= MAX_K:
        raise InvalidInputError(f"k must be between 1 and {MAX_K}")
    anchor = stores.vectors.brief_point(brief_id)
    if anchor is None:
        raise NotFoundError(f"no brief with id {brief_id!r}")
    # unfiltered, one extra for the brief itself: an exclusion filter would make local mode scan every payload
    limit = max(k * 4, 20)
    hits = [
        hit
        for hit in stores.vectors.search(anchor.vector, limit=limit + 1, filter=VectorFilter(kind="brief"))
        if hit.point.brief_id != brief_id
    ][:limit]

    def score(hit: VectorHit) -> float:
        shared = set(anchor.actors) & set(hit.point.actors)
        union = set(anchor.actors) | set(hit.point.actors)
        overlap = len(shared) / len(union) if union else 0.0
        closeness = 0.0
        if anchor.date and hit.point.date:
            closeness = math.exp(-abs((anchor.date - hit.point.date).days) / RECENCY_DAYS)
        return hit.score + ACTOR_WEIGHT * overlap + RECENCY_WEIGHT * closeness

    ranked = sorted(hits, key=lambda h: (-score(h), h.point.brief_id))[:k]
    return [
        SimilarBrief(brief_id=h.point.brief_id, title=h.point.title, date=h.point.date, score=round(score(h), 4))
        for h in ranked
    ]


def stats_of(records: Sequence[InteractionRecord]) -> InteractionStats:
    """The aggregates the graph computes (GraphStore.interaction_stats), from records already in hand."""
    buckets: Counter[tuple[dt.date | None, EventType, bool]] = Counter()
    score_sums: defaultdict[tuple[dt.date | None, EventType, bool], float] = defaultdict(float)
    for record in records:
        interaction = record.interaction
        month = interaction.date.replace(day=1) if interaction.date else None
        key = (month, interaction.event_type, interaction.mode is EventMode.NEGATED)
        buckets[key] += 1
        score_sums[key] += interaction.score
    # an event counts as corroborated when two independent sources report it: copies of one text are one
    reports = Counter(
        key for key, _ in {(r.interaction.event_key, r.origin or r.interaction.brief_id) for r in records}
    )
    return InteractionStats(
        buckets=tuple(
            InteractionBucket(
                month=month, event_type=kind, negated=negated, count=n, score_sum=score_sums[month, kind, negated]
            )
            for (month, kind, negated), n in buckets.items()
        ),
        corroborated_events=sum(1 for n in reports.values() if n >= 2),
    )


def summarise(records: Sequence[InteractionRecord]) -> DyadSummary:
    return summary_of(stats_of(records))


def summary_of(stats: InteractionStats) -> DyadSummary:
    """Totals, counts per type and per month, and mean scores (negated events excluded)."""
    by_type: Counter[str] = Counter()
    months: dict[str, list[InteractionBucket]] = defaultdict(list)
    for bucket in stats.buckets:
        by_type[bucket.event_type.value] += bucket.count
        months[bucket.month.strftime("%Y-%m") if bucket.month else "undated"].append(bucket)

    def mean(buckets: Sequence[InteractionBucket]) -> float:
        scored = [b for b in buckets if not b.negated]
        count = sum(b.count for b in scored)
        return round(sum(b.score_sum for b in scored) / count, 3) if count else 0.0

    def counts(buckets: Sequence[InteractionBucket]) -> dict[str, int]:
        tally: Counter[str] = Counter()
        for bucket in buckets:
            tally[bucket.event_type.value] += bucket.count
        return dict(tally)

    by_month = [
        MonthSummary(month=month, counts=counts(items), total=sum(b.count for b in items), mean_score=mean(items))
        for month, items in sorted(months.items(), key=lambda kv: (kv[0] == "undated", kv[0]))
    ]
    return DyadSummary(
        total=sum(by_type.values()),
        by_type=dict(by_type),
        mean_score=mean(stats.buckets),
        by_month=by_month,
        corroborated_events=stats.corroborated_events,
    )


def parse_types(names: Sequence[str]) -> list[EventType]:
    from graph_schema.ontology import parse_event_type

    types: list[EventType] = []
    for name in names:
        for part in name.split(","):
            if part.strip():
                try:
                    types.append(parse_event_type(part))
                except ValueError as error:
                    raise InvalidInputError(str(error)) from None
    return types


def path_steps(records: Sequence[InteractionRecord]) -> list[PathStep]:
    return [
        PathStep(
            source=r.interaction.source_id,
            target=r.interaction.target_id,
            event_type=r.interaction.event_type,
            date=r.interaction.date,
            brief_id=r.interaction.brief_id,
            sentence=r.interaction.sentence,
        )
        for r in records
    ]
