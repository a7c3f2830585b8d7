"""The one seam where an event's type is decided: the rules propose a type for every trigger (its rule label)
and a :class:`TypeDecider` gives the type the event keeps. The default keeps the rule label; a learned
classifier plugs in here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from graph_schema.ontology import EventMode, EventType
from ingest.extraction.context import SentenceContext, Trigger

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class TypeCandidate:
    """One trigger to type: the rules' trigger (``trigger.event_type`` is the rule label), the mode the
    sentence asserts it in, and its sentence."""

    trigger: Trigger
    mode: EventMode
    sentence: SentenceContext
    # the same trigger as the rules typed it, when the decider gave another type: an event the decided type
    # cannot be built for (no sides, or none that roll up) keeps the rules' reading instead of being lost
    ruled: TypeCandidate | None = None


@dataclass(frozen=True)
class ClauseCandidate:
    """A sentence naming two or more actors in which the rules found no event they could give sides to: its
    main verb, the mode it is asserted in, and the sentence. A learned decider may find an event there that
    the lexicon has no word for."""

    verb: Token
    mode: EventMode
    sentence: SentenceContext


class TypeDecider(Protocol):
    """Decides the event type of the triggers the rules found.

    Called once per brief with the triggers, in reading order, of sentences that name an actor and to which the
    rules can give sides (so a model can type them in one batch, and types nothing that could not become an
    interaction), before the interactions are built: the decided type steers roles and direction (mutual
    types are undirected). Returns one type per candidate, in order; returning the rule label keeps
    the rules' reading. Must be deterministic."""

    def decide_types(self, candidates: Sequence[TypeCandidate]) -> list[EventType]: ...

    def decide_new(self, clauses: Sequence[ClauseCandidate]) -> list[EventType | None]:
        """For each clause, the type of the event it states, or None for no event (the rules' answer: they had
        no trigger there). Called once per brief, after decide_types; must be deterministic and should only
        answer a type when it is sure (a wrong event here is a fact nobody wrote)."""
        ...


class RuleTypes:
    """The default decision: every trigger keeps its rule label."""

    def decide_types(self, candidates: Sequence[TypeCandidate]) -> list[EventType]:
        return [candidate.trigger.event_type for candidate in candidates]

    def decide_new(self, clauses: Sequence[ClauseCandidate]) -> list[EventType | None]:
        return [None for _ in clauses]
