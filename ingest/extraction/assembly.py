"""Interactions built from decided parts: which role pairs an event yields, the trigger's words, the event key
that lets several briefs corroborate one event, and the interaction's stable id."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from core.models import Brief, Interaction
from graph_schema import lexicon
from graph_schema.ontology import EventContext, EventMode, EventType, event_score
from ingest.extraction.context import SentenceContext, Trigger


@dataclass(frozen=True)
class EventParts:
    """What is known of one event before its sides are rolled up: its type as decided, how it is asserted,
    its context, date, place and the trigger's words."""

    event_type: EventType
    mode: EventMode
    context: EventContext
    date: dt.date | None
    location: str | None
    trigger: str


def role_pairs(sources: list[str], targets: list[str], symmetric: bool) -> list[tuple[str, str, bool]]:
    """(source role, target role, directed) for every pair an event yields: each source with each target
    (directed unless the event is mutual), else each pair of the sources of a mutual event."""
    if targets:
        return [(s, t, not symmetric) for s in sources for t in targets if s != t]
    if symmetric and len(sources) >= 2:
        ordered = sorted(sources)
        return [(a, b, False) for n, a in enumerate(ordered) for b in ordered[n + 1 :]]
    return []


def trigger_text(trigger: Trigger) -> str:
    """The trigger's words: the verb, with its event noun when another word names the event ('held talks')."""
    token, noun = trigger.token, trigger.noun
    words = noun if noun is not None and noun.i != token.i else None
    return f"{token.text} {words.text}" if words is not None else token.text


def event_key(source: str, target: str, directed: bool, event_type: EventType, date: dt.date | None) -> str:
    """The same event reported by several briefs gets the same key: the state-level dyad (officials already
    rolled up), the type and the day. Mutual event types (talks, agreements, clashes) ignore direction, since
    one report says "Israel met Turkey" and another "Turkish and Israeli officials met"."""
    if not directed or event_type in lexicon.SYMMETRIC:
        source, target = sorted((source, target))
        directed = False
    day = date.isoformat() if date else ""
    return hashlib.sha1(f"{source}|{target}|{int(directed)}|{event_type.value}|{day}".encode()).hexdigest()[:16]


def build_interaction(
    brief: Brief,
    ctx: SentenceContext,
    source: str,
    target: str,
    directed: bool,
    parts: EventParts,
    source_agent: str | None,
    target_agent: str | None,
) -> Interaction:
    """The interaction, its sides in id order when undirected; its id is stable for the brief, sentence,
    sides, type and trigger."""
    first, second = source, target
    if not directed and target < source:
        first, second, source_agent, target_agent = target, source, target_agent, source_agent
    key = event_key(first, second, directed, parts.event_type, parts.date)
    identity = f"{brief.id}|{ctx.sentence.index}|{first}|{second}|{parts.event_type.value}|{parts.trigger}"
    return Interaction(
        id="i-" + hashlib.sha1(identity.encode()).hexdigest()[:20],
        brief_id=brief.id,
        source_id=first,
        target_id=second,
        directed=directed,
        event_type=parts.event_type,
        mode=parts.mode,
        context=parts.context,
        score=event_score(parts.event_type, parts.mode),
        date=parts.date,
        location=parts.location,
        source_agent=source_agent,
        target_agent=target_agent,
        trigger=parts.trigger,
        section=ctx.section.name,
        sentence_index=ctx.sentence.index,
        start=ctx.sentence.start,
        end=ctx.sentence.end,
        sentence=ctx.sentence.text,
        event_key=key,
    )
