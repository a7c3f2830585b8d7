"""Hand-built extracted briefs for the graph contract suite: no NLP, every field known."""

from __future__ import annotations

import datetime as dt

from core.models import Actor, Brief, ExtractedBrief, Interaction, Mention, Section, Sentence
from graph_schema.ontology import ActorKind, EventMode, EventType, event_score

TUR = Actor(id="TUR", name="Turkey", kind=ActorKind.COUNTRY, code="TUR", aliases=("Türkiye", "Ankara"))
ISR = Actor(id="ISR", name="Israel", kind=ActorKind.COUNTRY, code="ISR", aliases=("Israeli",))
SYR = Actor(id="SYR", name="Syria", kind=ActorKind.COUNTRY, code="SYR", aliases=("Damascus",))
LBN = Actor(id="LBN", name="Lebanon", kind=ActorKind.COUNTRY, code="LBN")
HEZ = Actor(id="group:hezbollah", name="Hezbollah", kind=ActorKind.ARMED_GROUP, aliases=("Hizballah",))
HANEGBI = Actor(id="person:tzachi-hanegbi", name="Tzachi Hanegbi", kind=ActorKind.PERSON)


def make_brief(
    brief_id: str,
    date: dt.date | None,
    events: list[tuple[Actor, Actor, EventType, bool, str]],
    *,
    content_hash: str | None = None,
    agent: Actor | None = None,
) -> ExtractedBrief:
    """A brief whose sentence i carries events[i] = (source, target, type, directed, sentence text)."""
    sentences = []
    offset = 0
    for index, (*_, text) in enumerate(events):
        sentences.append(Sentence(index=index, text=text, start=offset, end=offset + len(text)))
        offset += len(text) + 1
    section = Section(name="description", text=" ".join(e[4] for e in events), sentences=tuple(sentences))
    brief = Brief(
        id=brief_id,
        title=f"Brief {brief_id}",
        date=date,
        url=None,
        source=f"test:{brief_id}",
        sections=(section,),
        content_hash=content_hash or f"hash-{brief_id}",
    )
    actors: dict[str, Actor] = {}
    mentions = []
    interactions = []
    for index, (source, target, event_type, directed, text) in enumerate(events):
        for actor in (source, target):
            actors[actor.id] = actor
            mentions.append(
                Mention(
                    actor_id=actor.id,
                    surface=actor.name,
                    section="description",
                    sentence_index=index,
                    start=sentences[index].start,
                    end=sentences[index].end,
                )
            )
        if agent is not None:
            actors[agent.id] = agent
        interactions.append(
            Interaction(
                id=f"i-{brief_id}-{index}",
                brief_id=brief_id,
                source_id=source.id,
                target_id=target.id,
                directed=directed,
                event_type=event_type,
                mode=EventMode.ASSERTED,
                score=event_score(event_type),
                date=date,
                location=None,
                source_agent=agent.id if agent and index == 0 else None,
                target_agent=None,
                trigger="test",
                section="description",
                sentence_index=index,
                start=sentences[index].start,
                end=sentences[index].end,
                sentence=text,
                event_key=f"{source.id}|{target.id}|{event_type.value}|{date}",
            )
        )
    return ExtractedBrief(
        brief=brief, actors=tuple(actors.values()), mentions=tuple(mentions), interactions=tuple(interactions)
    )
