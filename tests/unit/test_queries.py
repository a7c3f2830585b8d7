"""Read-path logic without stores: ranking of grouped search hits and dyad summaries."""

from __future__ import annotations

import datetime as dt

from core.models import InteractionBucket, InteractionStats, PassagePoint, VectorHit
from graph_schema.ontology import EventType
from services.queries import group_hits, named_actors, summary_of


def _hit(brief_id: str, score: float, actors: tuple[str, ...]) -> VectorHit:
    point = PassagePoint(
        point_id=f"{brief_id}-{score}",
        brief_id=brief_id,
        kind="passage",
        text=f"text of {brief_id}",
        title=f"Brief {brief_id}",
        date=None,
        section="description",
        sentence_start=0,
        sentence_end=0,
        actors=actors,
        event_types=(),
        content_hash="h",
    )
    return VectorHit(point=point, score=score)


HITS = [
    _hit("a", 0.90, ("USA",)),
    _hit("b", 0.85, ("IRN",)),
    _hit("c", 0.80, ("TUR",)),
    _hit("d", 0.79, ("TUR", "ISR")),
    _hit("d", 0.50, ("SYR",)),
]


def test_without_named_actors_briefs_rank_by_their_best_passage() -> None:
    assert [h.brief_id for h in group_hits(HITS, "talks", 10)] == ["a", "b", "c", "d"]
    assert group_hits(HITS, "talks", 10)[3].score == 0.79 and len(group_hits(HITS, "talks", 10)[3].passages) == 2


def test_briefs_naming_the_query_actors_move_up_by_rank_fusion() -> None:
    ranked = [h.brief_id for h in group_hits(HITS, "Turkey and Israel", 10, named=["TUR", "ISR"])]
    assert ranked == ["d", "c", "a", "b"]  # d holds both actors, c one; the others keep their order
    assert [h.brief_id for h in group_hits(HITS, "q", 2, named=["TUR"])] == ["c", "d"]


def test_named_actors_reads_aliases_in_order_of_first_mention() -> None:
    index = {"turkey": "TUR", "ankara": "TUR", "israel": "ISR", "hezbollah": "group:hezbollah"}
    assert named_actors(index, "How have Ankara, Israel and Turkey dealt with Hezbollah?") == [
        "TUR",
        "ISR",
        "group:hezbollah",
    ]
    assert named_actors(index, "no names here") == []


def test_summary_counts_every_bucket_and_leaves_negated_events_out_of_scores() -> None:
    day = dt.date(2025, 4, 1)
    stats = InteractionStats(
        buckets=(
            InteractionBucket(month=day, event_type=EventType.CONSULT, negated=False, count=3, score_sum=3.0),
            InteractionBucket(month=day, event_type=EventType.ASSAULT, negated=True, count=1, score_sum=-10.0),
            InteractionBucket(month=None, event_type=EventType.CONSULT, negated=False, count=1, score_sum=1.0),
        ),
        corroborated_events=2,
    )
    summary = summary_of(stats)
    assert (summary.total, summary.by_type, summary.mean_score) == (5, {"CONSULT": 4, "ASSAULT": 1}, 1.0)
    assert [(m.month, m.total, m.mean_score) for m in summary.by_month] == [("2025-04", 4, 1.0), ("undated", 1, 1.0)]
    assert summary.corroborated_events == 2
