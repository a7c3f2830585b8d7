"""Domain models shared by the write path (ingest) and the read path (services). Each concept is defined once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph_schema.ontology import ActorKind, EventContext, EventMode, EventType


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


# ---------------------------------------------------------------- briefs


class Sentence(_Frozen):
    index: int = Field(description="position of the sentence in the brief, counting across sections")
    text: str
    start: int = Field(description="character offset of the sentence in its section's text")
    end: int


class Section(_Frozen):
    name: str = Field(description="'description', 'impact' or 'body'")
    text: str
    sentences: tuple[Sentence, ...] = ()


class Brief(_Frozen):
    """A parsed brief: cleaned text in sections, with its stable id and content hash."""

    id: str
    title: str
    date: dt.date | None
    url: str | None = None
    source: str = Field(description="where it came from: a file path (with #n for records) or 'api'")
    sections: tuple[Section, ...]
    content_hash: str
    origin: str | None = Field(
        default=None,
        description="the independent source this brief's text is one copy of: briefs carrying the same (or a "
        "near-identical) text share it, so an event they report counts once; set by the write path",
    )
    copy_keys: tuple[str, ...] = Field(
        default=(), description="keys under which the write path finds copies of this text (ingest/copies.py)"
    )

    @property
    def text(self) -> str:
        return "\n\n".join(section.text for section in self.sections)

    def sentences(self) -> list[tuple[Section, Sentence]]:
        return [(section, sentence) for section in self.sections for sentence in section.sentences]


# ---------------------------------------------------------------- actors and events


class Actor(_Frozen):
    id: str
    name: str
    kind: ActorKind
    code: str | None = None
    aliases: tuple[str, ...] = ()


class Mention(_Frozen):
    """An actor named in one sentence of one brief, with offsets into the section text."""

    actor_id: str
    surface: str
    section: str
    sentence_index: int
    start: int
    end: int


class Interaction(_Frozen):
    """A typed event between two actors, taken from one sentence.

    source_id/target_id are the state or group level actors (officials roll up to whom they act for on the
    date); source_agent/target_agent keep the person or body named, when there was one.
    """

    id: str
    brief_id: str
    source_id: str
    target_id: str
    directed: bool = Field(description="False when both sides act alike (joint talks, mutual clashes)")
    event_type: EventType
    mode: EventMode = EventMode.ASSERTED
    context: EventContext = EventContext.OTHER
    score: float
    date: dt.date | None
    location: str | None = None
    source_agent: str | None = None
    target_agent: str | None = None
    trigger: str = Field(description="the words that carried the event, e.g. 'held talks'")
    section: str
    sentence_index: int
    start: int
    end: int
    sentence: str = Field(description="the evidence sentence, verbatim")
    event_key: str = Field(description="same event reported by several briefs shares this key (corroboration)")


class ExtractedBrief(_Frozen):
    brief: Brief
    actors: tuple[Actor, ...]
    mentions: tuple[Mention, ...]
    interactions: tuple[Interaction, ...]

    def actor_ids(self) -> set[str]:
        return {a.id for a in self.actors}

    def with_merges(self, targets: dict[str, Actor]) -> ExtractedBrief:
        """The same facts with merged actor ids replaced by the actor they were merged into (`targets` maps a
        merged id to that actor); an interaction whose two sides become one actor is dropped."""
        if not targets or not self.actor_ids() & targets.keys():
            return self
        merges = {source: target.id for source, target in targets.items()}

        def to(actor_id: str | None) -> str | None:
            return merges.get(actor_id, actor_id) if actor_id is not None else None

        actors = {a.id: a for a in self.actors if a.id not in merges}
        for source in self.actor_ids() & merges.keys():
            actors.setdefault(targets[source].id, targets[source])
        mentions = tuple(m.model_copy(update={"actor_id": to(m.actor_id)}) for m in self.mentions)
        interactions = tuple(
            i.model_copy(
                update={
                    "source_id": to(i.source_id),
                    "target_id": to(i.target_id),
                    "source_agent": to(i.source_agent),
                    "target_agent": to(i.target_agent),
                }
            )
            for i in self.interactions
            if to(i.source_id) != to(i.target_id)
        )
        return self.model_copy(
            update={"actors": tuple(actors.values()), "mentions": mentions, "interactions": interactions}
        )


class ActorMerge(_Frozen):
    source_id: str = Field(description="the actor id that is folded into target_id")
    target_id: str
    reason: str
    created_at: str


# ---------------------------------------------------------------- graph read models


class BriefInfo(_Frozen):
    id: str
    title: str
    date: dt.date | None
    url: str | None
    source: str
    content_hash: str
    sections: tuple[Section, ...] = ()
    origin: str | None = Field(default=None, description="the copy family of its text (Brief.origin)")


class BriefRef(_Frozen):
    """A brief named by another: its id and what identifies it to a reader."""

    id: str
    title: str
    date: dt.date | None
    url: str | None
    source: str


class ReplacedText(_Frozen):
    """A stored text that a write replaced under the same brief id (outcome `replaced`), logged in the graph so
    that `briefgraph check` can report ids that held different texts."""

    brief_id: str
    title: str
    date: dt.date | None
    url: str | None
    source: str
    content_hash: str
    replaced_by_hash: str
    replaced_at: str = Field(description="ISO time of the write that replaced it")
    same_story: bool = Field(
        description="the new text is a near copy of this one (an edit); False: a different text took its id"
    )
    sections: tuple[Section, ...] = Field(
        default=(), description="the replaced text itself, kept when it was a different story (same_story False)"
    )


class CopyCandidate(_Frozen):
    """A stored brief that shares copy keys with a text being written: a possible copy, to be verified."""

    brief_id: str
    origin: str | None
    shared_keys: tuple[str, ...]


class ActorSummary(_Frozen):
    id: str
    name: str
    kind: ActorKind
    code: str | None = None
    aliases: tuple[str, ...] = ()
    mention_count: int = 0
    brief_count: int = 0


class Counterpart(_Frozen):
    actor: ActorSummary
    interaction_count: int
    mean_score: float


class InteractionRecord(_Frozen):
    """An interaction as read back from the graph, with the names of both sides and its brief's title."""

    interaction: Interaction
    source_name: str
    target_name: str
    brief_title: str
    origin: str = Field(
        default="",
        description="the independent source of the brief it came from (copies of one text share it); "
        "corroboration counts an event once per origin",
    )


class InteractionBucket(_Frozen):
    """Interactions of one month and event type, negated ones apart (they do not count towards mean scores)."""

    month: dt.date | None = Field(description="the month's first day; None for undated interactions")
    event_type: EventType
    negated: bool
    count: int
    score_sum: float


class InteractionStats(_Frozen):
    """Aggregates over every interaction a query matches, however many records a page returns."""

    buckets: tuple[InteractionBucket, ...]
    corroborated_events: int = Field(
        description="distinct events reported by two or more independent briefs (copies of one text count once)"
    )


class GraphPath(_Frozen):
    actors: tuple[ActorSummary, ...]
    steps: tuple[InteractionRecord, ...]


class GraphCounts(_Frozen):
    briefs: int
    actors: int
    mentions: int
    interactions: int


# ---------------------------------------------------------------- vectors


class PassagePoint(_Frozen):
    """One vector in the vector store: a whole brief (kind='brief') or a passage of a section."""

    point_id: str
    brief_id: str
    kind: str
    vector: tuple[float, ...] = Field(default=(), description="empty when read back without vectors")
    text: str
    title: str
    date: dt.date | None
    section: str | None
    sentence_start: int | None
    sentence_end: int | None
    actors: tuple[str, ...]
    event_types: tuple[str, ...]
    content_hash: str


@dataclass(frozen=True)
class StoredPoint:
    """A stored vector point as exported and restored, in Qdrant's own shape (a plain dataclass: an export
    streams hundreds of thousands of them)."""

    id: str
    dense: list[float]
    keywords: tuple[list[int], list[float]] | None  # a passage's BM25 sparse vector (indices, values)
    payload: dict[str, Any]


class VectorFilter(_Frozen):
    kind: str | None = None
    brief_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actors_all: tuple[str, ...] = ()
    exclude_brief: str | None = None


class VectorHit(_Frozen):
    point: PassagePoint
    score: float


# ---------------------------------------------------------------- ingest results


class BriefOutcome(BaseModel):
    source: str
    brief_id: str | None
    status: str = Field(
        description="ingested | replaced (written over a stored brief of the same id with different content) | "
        "unchanged | skipped | failed"
    )
    detail: str = ""
    title: str | None = None
    actors: int = 0
    interactions: int = 0
    previous_title: str | None = Field(default=None, description="replaced: the title of the brief it replaced")
    previous_date: dt.date | None = Field(default=None, description="replaced: the date of the brief it replaced")


class IngestReport(BaseModel):
    outcomes: list[BriefOutcome] = Field(default_factory=list)
    warnings: list[tuple[str, str]] = Field(default_factory=list, description="(source, message)")
    seconds: float = 0.0
    stage_seconds: dict[str, float] = Field(default_factory=dict)

    def of(self, status: str) -> list[BriefOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def ok(self) -> bool:
        return not self.of("failed")

    def summary(self) -> str:
        lines = [
            f"ingested {len(self.of('ingested'))}, replaced {len(self.of('replaced'))}, "
            f"unchanged {len(self.of('unchanged'))}, skipped {len(self.of('skipped'))}, "
            f"failed {len(self.of('failed'))} in {self.seconds:.1f} s"
        ]
        lines += [
            f"  replaced {o.brief_id} ({o.source}): was {o.previous_title!r} ({o.previous_date or 'undated'}), "
            f"now {o.title!r}"
            for o in self.of("replaced")
        ]
        lines += [f"  skipped {o.source}: {o.detail}" for o in self.of("skipped")]
        lines += [f"  FAILED  {o.source}: {o.detail}" for o in self.of("failed")]
        lines += [f"  warning {source}: {message}" for source, message in self.warnings]
        return "\n".join(lines)
