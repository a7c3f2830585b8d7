"""The ontology: actor kinds, PLOVER event types with their cooperation-conflict scores, modes, contexts,
node labels and relationship types. Pure data, no I/O.

Event categories follow PLOVER (openeventdata/PLOVER, CC BY-SA 4.0). The score is a cooperation-conflict
value on [-10, +10] in the spirit of the Goldstein scale, assigned per category by this project.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Final

from pydantic import BaseModel, ConfigDict


class ActorKind(StrEnum):
    COUNTRY = "country"
    PERSON = "person"
    ORGANISATION = "organisation"  # intergovernmental, governmental bodies, NGOs, companies
    ARMED_GROUP = "armed_group"  # armed non-state actors
    # A community or population acting together: the Druze, the Kurds, Bedouin tribes. Not a state body: in an
    # interaction it acts within a country (the endpoint) and is kept as the named agent, as people are.
    COLLECTIVE = "collective"
    OTHER = "other"


# Kinds that act within or for a state or group: an interaction keeps them as its named agents
# (source_agent/target_agent) while its endpoints are whom they act for or where they act.
AGENT_KINDS: Final = frozenset({ActorKind.PERSON, ActorKind.ORGANISATION, ActorKind.COLLECTIVE})


class CollectiveSector(StrEnum):
    """What holds a collective actor together, after PLOVER's actor types (ETH, REL, ...) and the sectors that
    event data codes non-state agents under (REB, OPP, ...)."""

    ETHNIC = "ethnic"
    RELIGIOUS = "religious"
    TRIBAL = "tribal"
    PROTESTERS = "protesters"
    REBELS = "rebels"
    LOYALISTS = "loyalists"


class EventType(StrEnum):
    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    INVESTIGATE = "INVESTIGATE"
    DEMAND = "DEMAND"
    DISAPPROVE = "DISAPPROVE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"
    FIGHT = "FIGHT"


class EventMode(StrEnum):
    """How the sentence asserts the event: 'talks may resume' is not 'talks resumed'."""

    ASSERTED = "asserted"
    NEGATED = "negated"
    FUTURE = "future"
    HYPOTHETICAL = "hypothetical"


class EventContext(StrEnum):
    MILITARY = "military"
    DIPLOMATIC = "diplomatic"
    ECONOMIC = "economic"
    POLITICAL = "political"
    LEGAL = "legal"
    HUMANITARIAN = "humanitarian"
    TERRORISM = "terrorism"
    OTHER = "other"


class EventTypeSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    type: EventType
    score: float  # cooperation (+) to conflict (-), on [-10, 10]
    quad: str  # verbal/material cooperation/conflict, as in CAMEO quad classes
    description: str


_SPECS: Final = (
    EventTypeSpec(
        type=EventType.AGREE, score=4.0, quad="verbal_cooperation", description="Agree, offer or promise to cooperate"
    ),
    EventTypeSpec(
        type=EventType.CONSULT, score=1.0, quad="verbal_cooperation", description="Meetings, visits, talks, calls"
    ),
    EventTypeSpec(
        type=EventType.SUPPORT,
        score=3.0,
        quad="verbal_cooperation",
        description="Verbal support, approval, signing or finalising an agreement",
    ),
    EventTypeSpec(
        type=EventType.CONCEDE,
        score=5.0,
        quad="material_cooperation",
        description="Concessions: release, ease restrictions, ceasefire, allow",
    ),
    EventTypeSpec(
        type=EventType.COOPERATE,
        score=6.0,
        quad="material_cooperation",
        description="Material cooperation: joint operations, trade, intelligence sharing",
    ),
    EventTypeSpec(
        type=EventType.AID,
        score=7.0,
        quad="material_cooperation",
        description="Provide economic, military or humanitarian aid",
    ),
    EventTypeSpec(
        type=EventType.RETREAT,
        score=5.0,
        quad="material_cooperation",
        description="Withdraw forces, de-escalate, demobilise",
    ),
    EventTypeSpec(type=EventType.INVESTIGATE, score=-1.0, quad="verbal_conflict", description="Investigate, inspect"),
    EventTypeSpec(
        type=EventType.DEMAND,
        score=-2.0,
        quad="verbal_conflict",
        description="Demand or request (PLOVER DEMAND; 'REQUEST' is accepted as an alias)",
    ),
    EventTypeSpec(
        type=EventType.DISAPPROVE,
        score=-2.5,
        quad="verbal_conflict",
        description="Criticise, accuse, condemn (PLOVER DISAPPROVE; 'ACCUSE' is an alias)",
    ),
    EventTypeSpec(type=EventType.REJECT, score=-4.0, quad="verbal_conflict", description="Reject, refuse, veto"),
    EventTypeSpec(
        type=EventType.THREATEN, score=-6.0, quad="verbal_conflict", description="Threaten, warn of force or sanctions"
    ),
    EventTypeSpec(
        type=EventType.PROTEST, score=-5.0, quad="material_conflict", description="Demonstrations, strikes, riots"
    ),
    EventTypeSpec(
        type=EventType.SANCTION,
        score=-5.5,
        quad="material_conflict",
        description="Sanctions, embargoes, cutting ties, expelling diplomats",
    ),
    EventTypeSpec(
        type=EventType.MOBILIZE,
        score=-6.5,
        quad="material_conflict",
        description="Mobilise or deploy forces, raise alert",
    ),
    EventTypeSpec(
        type=EventType.COERCE,
        score=-7.0,
        quad="material_conflict",
        description="Arrests, seizures, blockades, restrictions by force",
    ),
    EventTypeSpec(
        type=EventType.ASSAULT,
        score=-9.0,
        quad="material_conflict",
        description="Unilateral violence: strikes, bombings, killings",
    ),
    EventTypeSpec(
        type=EventType.FIGHT,
        score=-10.0,
        quad="material_conflict",
        description="Armed clashes between organised forces",
    ),
)

EVENT_TYPES: Final = MappingProxyType({spec.type: spec for spec in _SPECS})

# Names analysts use that PLOVER spells differently.
EVENT_TYPE_ALIASES: Final = MappingProxyType(
    {"REQUEST": EventType.DEMAND, "ACCUSE": EventType.DISAPPROVE, "CLASH": EventType.FIGHT}
)


def parse_event_type(name: str) -> EventType:
    """Resolve a PLOVER name or alias, case-insensitively. Raises ValueError for unknown names."""
    key = name.strip().upper()
    if key in EVENT_TYPE_ALIASES:
        return EVENT_TYPE_ALIASES[key]
    try:
        return EventType(key)
    except ValueError:
        known = ", ".join(sorted([*EventType.__members__, *EVENT_TYPE_ALIASES]))
        raise ValueError(f"unknown event type {name!r}; expected one of: {known}") from None


def event_score(event_type: EventType, mode: EventMode = EventMode.ASSERTED) -> float:
    """Cooperation-conflict score of an event; an event that did not happen (negated) scores 0."""
    if mode is EventMode.NEGATED:
        return 0.0
    return EVENT_TYPES[event_type].score


class NodeLabel(StrEnum):
    BRIEF = "Brief"
    ACTOR = "Actor"
    MERGE = "ActorMerge"  # an analyst's decision that one actor id is another (reversible)
    COPY_KEY = "CopyKey"  # a key copies of one text share (ingest/copies.py): the index copy detection looks up
    REPLACED_TEXT = "ReplacedText"  # a text a write replaced under the same brief id (reported by `check`)


class RelType(StrEnum):
    MENTIONS = "MENTIONS"  # (Brief)-[:MENTIONS {section, sentence_index, start, end, surface}]->(Actor)
    INTERACTS = "INTERACTS"  # (Actor)-[:INTERACTS {event_type, date, brief_id, ...}]->(Actor)
    AFFILIATED_WITH = "AFFILIATED_WITH"  # (Actor person)-[:AFFILIATED_WITH {role, start, end}]->(Actor)
    HAS_COPY_KEY = "HAS_COPY_KEY"  # (Brief)-[:HAS_COPY_KEY]->(CopyKey)
