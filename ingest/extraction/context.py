"""What the extraction steps hand each other: actors found at token spans, a sentence with what is known about
it, event triggers, and the role strings that carry a non-state sector through a sentence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.models import Section, Sentence
from graph_schema.ontology import EventType

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


@dataclass(frozen=True)
class FoundActor:
    """An actor found at a token span of one sentence."""

    actor_id: str
    start: int  # token indices in the doc
    end: int
    surface: str

    def tokens(self) -> range:
        return range(self.start, self.end)


@dataclass
class SentenceContext:
    section: Section
    sentence: Sentence
    span: Span
    found: list[FoundActor]
    locations: list[str] = field(default_factory=list)
    # official's actor id -> the state or group named as modifying them in this sentence
    affiliations: dict[str, str] = field(default_factory=dict)
    # where a community named here acts, when the sentence does not say: the sentence before's places and
    # the countries the whole brief names, most named first (ingest.extraction.collectives)
    previous_locations: list[str] = field(default_factory=list)
    brief_countries: list[str] = field(default_factory=list)
    # an official the registry lacks -> the state, group or community a title tied them to in the brief
    brief_affiliations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Trigger:
    """An event trigger: the verb or noun, its type, the event noun ('held talks' -> talks) and the triggers
    folded into it from its complement clauses."""

    token: Token
    event_type: EventType
    noun: Token | None
    complements: tuple[Trigger, ...] = ()
    clauses: tuple[Token, ...] = ()


def role(actor_id: str, sector: str) -> str:
    """A role inside one sentence: an actor id, or 'ID#sector' for a non-state sector of a country ('#sector'
    while its country is unknown). '#' never occurs in actor ids."""
    return f"{actor_id}#{sector}"


def split_role(role: str) -> tuple[str, str]:
    actor_id, _, sector = role.partition("#")
    return actor_id, sector
