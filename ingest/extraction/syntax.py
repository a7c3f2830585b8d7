"""Readings of the dependency parse that several steps share: lemmas, depth, a verb's subject, the event a noun
names and the non-state agent a noun phrase names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph_schema import lexicon
from graph_schema.ontology import EventType

if TYPE_CHECKING:
    from spacy.tokens import Token


def lemma(token: Token) -> str:
    """The token's lemma, lower-cased, with the small model's known slips mended ('staged' -> 'stag')."""
    lowered = token.lemma_.lower()
    return lexicon.LEMMA_FIXES.get(lowered, lowered)


def depth(token: Token) -> int:
    """How many heads up the token is from its sentence root (capped at 50)."""
    steps = 0
    while token.head != token and steps < 50:
        token = token.head
        steps += 1
    return steps


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, found up the clause chain when the verb has none of its own ("agreed to hold
    talks"); for a relative clause, the noun it modifies."""
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ in {"nsubj", "nsubjpass", "csubj"}:
                if child.lower_ in {"who", "which", "that"} and current.dep_ == "relcl":
                    return current.head
                return child
        if current.dep_ in {"xcomp", "advcl", "conj", "pcomp", "ccomp", "acomp"} or current.head.dep_ == "prep":
            current = current.head.head if current.head.dep_ == "prep" else current.head
            continue
        if current.dep_ == "acl" and current.tag_ == "VBG" and current.head.dep_ in {"dobj", "pobj"}:
            # "X exploited Y's fall, cultivating ties": a participle misattached to the object noun
            noun = current.head
            current = noun.head.head if noun.dep_ == "pobj" else noun.head
            continue
        if current.dep_ in {"acl", "relcl"}:
            return current.head
        break
    return None


def noun_event(token: Token) -> EventType | None:
    """The event a noun names: its own lemma, or a transparent head's compound ('mediation mission')."""
    word = lemma(token)
    if word == "strike" and any(
        c.dep_ in {"compound", "amod", "nmod"} and (lemma(c) in lexicon.PROTEST_STRIKE_MODIFIERS or "-day" in c.lower_)
        for c in token.children
    ):
        return EventType.PROTEST  # "a hunger strike", "a two-day strike"
    if word in lexicon.NOUNS:
        return lexicon.NOUNS[word]
    if word in lexicon.TRANSPARENT_NOUNS:
        for child in token.children:
            if child.dep_ in {"compound", "amod"} and lemma(child) in lexicon.NOUNS:
                return lexicon.NOUNS[lemma(child)]
    return None


def nonstate_sector(head: Token) -> str | None:
    """The non-state agent a noun phrase names ('rebels', 'opposition coalition', 'leaders of the union')."""
    candidates = [head, *(c for c in head.children if c.dep_ in {"compound", "amod"} and c.pos_ in {"NOUN", "PROPN"})]
    if lemma(head) in lexicon.GROUP_HEADS:
        candidates += [g for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
        candidates += [c for g in candidates[-1:] for c in g.children if c.dep_ in {"compound", "amod"}]
    for token in candidates:
        word = lemma(token)
        if word in lexicon.NONSTATE_AGENTS:
            return lexicon.NONSTATE_AGENTS[word]
    if lemma(head) in {"group", "faction", "movement", "wing", "organization", "organisation"} and any(
        lemma(c) == "armed" for c in head.children
    ):
        return "rebels"  # "Libyan armed groups"
    return None
