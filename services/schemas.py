"""Request and response bodies of the HTTP API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from core.models import ActorSummary, BriefInfo, BriefRef, Counterpart, GraphCounts, InteractionRecord
from graph_schema.ontology import EventType

MAX_QUESTION_CHARS = 1_000
MAX_BRIEF_CHARS = 200_000


class PassageHit(BaseModel):
    text: str
    section: str | None
    sentence_start: int | None
    sentence_end: int | None
    score: float
    highlights: list[str] = Field(description="sentences of the passage that share words with the query")


class BriefHit(BaseModel):
    brief_id: str
    title: str
    date: dt.date | None
    score: float = Field(
        description="best passage score of the brief; results are ordered by it, fused with how many of the actors "
        "the query names the brief mentions"
    )
    passages: list[PassageHit]
    actors: list[str] = Field(default_factory=list, description="ids of the actors the matched passages name")


class SearchResponse(BaseModel):
    query: str
    results: list[BriefHit]


class SimilarBrief(BaseModel):
    brief_id: str
    title: str
    date: dt.date | None
    score: float


class SimilarResponse(BaseModel):
    brief_id: str
    similar: list[SimilarBrief]


class BriefDetail(BaseModel):
    brief: BriefInfo
    interactions: list[InteractionRecord]
    copies: list[BriefRef] = Field(
        default_factory=list,
        description="other briefs carrying the same or a near-identical text (one independent source with this "
        "one: an event they all report is corroborated once)",
    )


class RoleOut(BaseModel):
    title: str
    affiliation: str
    start: dt.date | None
    end: dt.date | None


class ActorDetail(BaseModel):
    actor: ActorSummary
    roles: list[RoleOut]
    counterparts: list[Counterpart]


class MonthSummary(BaseModel):
    month: str = Field(description="YYYY-MM, or 'undated'")
    counts: dict[str, int] = Field(description="interactions per event type")
    total: int
    mean_score: float = Field(description="mean cooperation (+) / conflict (-) score, negated events excluded")


class DyadSummary(BaseModel):
    total: int
    by_type: dict[str, int]
    mean_score: float
    by_month: list[MonthSummary]
    corroborated_events: int = Field(description="distinct events reported by two or more briefs")


class InteractionsResponse(BaseModel):
    actor: ActorSummary
    other: ActorSummary | None
    interactions: list[InteractionRecord]
    summary: DyadSummary = Field(description="over every matching interaction, not only this page")
    truncated: bool = Field(description="more interactions match than this page holds (raise `limit` to see more)")


class PathsResponse(BaseModel):
    source: ActorSummary
    target: ActorSummary
    max_hops: int
    paths: list[list[PathStep]]


class PathStep(BaseModel):
    source: str
    target: str
    event_type: EventType
    date: dt.date | None
    brief_id: str
    sentence: str


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=3, max_length=MAX_QUESTION_CHARS)
    k: int = Field(default=5, ge=1, le=20, description="passages to retrieve")


class Citation(BaseModel):
    brief_id: str
    title: str
    sentence_index: int | None
    sentence: str


class Interpretation(BaseModel):
    actors: list[ActorSummary]
    date_from: dt.date | None
    date_to: dt.date | None
    event_types: list[EventType]


class AskResponse(BaseModel):
    question: str
    interpretation: Interpretation
    answer: str
    facts: list[InteractionRecord]
    passages: list[BriefHit]
    citations: list[Citation]


class BriefIn(BaseModel):
    """A brief sent to POST /briefs: a body, or Description / Impact sections."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=500)
    date: str | None = Field(default=None, max_length=40, examples=["2025-04-10"])
    url: str | None = Field(default=None, max_length=2_000)
    body: str | None = Field(default=None, max_length=MAX_BRIEF_CHARS)
    description: str | None = Field(default=None, max_length=MAX_BRIEF_CHARS)
    impact: str | None = Field(default=None, max_length=MAX_BRIEF_CHARS)


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    briefs: list[BriefIn] = Field(min_length=1, max_length=500)


class Health(BaseModel):
    status: str
    checks: dict[str, str] = Field(default_factory=dict)
    counts: GraphCounts | None = None
    vectors: int | None = None


PathsResponse.model_rebuild()


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: str = Field(min_length=1, max_length=200, description="id of the actor to fold this one into")
    reason: str = Field(min_length=3, max_length=500, description="why: kept in the merge log")


class MergeResponse(BaseModel):
    source_id: str
    target_id: str
    reason: str
    created_at: str
    briefs_rewritten: int
