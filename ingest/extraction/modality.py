"""How a sentence asserts an event (negated, hypothetical, future or asserted, from negation, conditional marks
and modals up the trigger's clause chain) and the context it happens in (military, economic...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph_schema import lexicon
from graph_schema.ontology import EventContext, EventMode, EventType
from ingest.extraction.syntax import lemma

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def event_mode(trigger: Token) -> EventMode:
    """The trigger's mode: negation anywhere up its complement chain wins, then a conditional mark or a
    hypothetical modal, then a future modal or a future-pointing head ('plans to')."""
    chain = [trigger]
    current = trigger
    if (
        trigger.pos_ in {"NOUN", "PROPN"}
        and trigger.dep_ in {"nsubj", "nsubjpass", "dobj"}
        and lemma(trigger.head) in lexicon.LIGHT_VERBS
    ):
        current = trigger.head  # "talks may resume": the noun's light verb says how it is asserted
        chain.append(current)
    for _ in range(4):
        purpose = current.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        if (current.dep_ in {"xcomp", "ccomp", "conj"} or purpose) and current.head != current:
            current = current.head
            chain.append(current)
    for token in chain:
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ in {"never", "no"}:
                return EventMode.NEGATED
    for token in chain:
        for child in token.children:
            if child.dep_ == "mark" and child.lower_ in {"if", "unless", "whether"}:
                return EventMode.HYPOTHETICAL
            if child.dep_ == "aux" and child.lower_ in lexicon.MODAL_HYPOTHETICAL:
                return EventMode.HYPOTHETICAL
            if child.dep_ == "aux" and child.lower_ in lexicon.MODAL_FUTURE:
                return EventMode.FUTURE
    if any(lemma(t) in lexicon.FUTURE_HEADS for t in chain[1:]):
        return EventMode.FUTURE
    return EventMode.ASSERTED


def event_context(event_type: EventType, span: Span) -> EventContext:
    """The first context cue in the sentence that differs from the type's default; violence stays military."""
    for token in span:
        cue = lexicon.CONTEXT_CUES.get(token.lower_)
        if cue is not None and cue is not lexicon.DEFAULT_CONTEXT[event_type]:
            if event_type in {EventType.ASSAULT, EventType.FIGHT}:
                break  # violence stays military whatever else the sentence mentions
            return cue
    return lexicon.DEFAULT_CONTEXT[event_type]
