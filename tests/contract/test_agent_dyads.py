"""Dyads of named agents on every graph backend: two officials in talks, communities in a domestic clash.

An interaction's endpoints are the states (or groups) the agents act for or in; the people and communities it
names are its source_agent/target_agent. A dyad of two agents must find it, and so must the dyad of their
states."""

from __future__ import annotations

import datetime as dt

from core.adapters.cypher_graph import CypherGraphStore
from core.models import Actor, ExtractedBrief
from graph_schema.ontology import ActorKind, EventType
from tests.graph_fixtures import ISR, SYR, make_brief

DAY = dt.date(2025, 7, 15)
USA = Actor(id="USA", name="United States", kind=ActorKind.COUNTRY, code="USA")
IRN = Actor(id="IRN", name="Iran", kind=ActorKind.COUNTRY, code="IRN")
WITKOFF = Actor(id="person:steve-witkoff", name="Steve Witkoff", kind=ActorKind.PERSON)
ARAGHCHI = Actor(id="person:abbas-araghchi", name="Abbas Araghchi", kind=ActorKind.PERSON)
DRUZE = Actor(id="collective:druze", name="Druze", kind=ActorKind.COLLECTIVE)
BEDOUIN = Actor(id="collective:bedouin", name="Bedouin", kind=ActorKind.COLLECTIVE)


def _with_agents(extracted: ExtractedBrief, agents: list[tuple[Actor | None, Actor | None]]) -> ExtractedBrief:
    """The brief with agents[i] = (source agent, target agent) named on its interaction i."""
    interactions = tuple(
        interaction.model_copy(
            update={"source_agent": source.id if source else None, "target_agent": target.id if target else None}
        )
        for interaction, (source, target) in zip(extracted.interactions, agents, strict=True)
    )
    named = {actor.id: actor for pair in agents for actor in pair if actor is not None}
    actors = {actor.id: actor for actor in extracted.actors} | named
    return extracted.model_copy(update={"interactions": interactions, "actors": tuple(actors.values())})


def _seed(store: CypherGraphStore) -> None:
    talks = make_brief("talks", DAY, [(USA, IRN, EventType.CONSULT, False, "Witkoff met Araghchi in Muscat.")])
    store.replace_brief(_with_agents(talks, [(WITKOFF, ARAGHCHI)]))
    sweida = make_brief(
        "sweida",
        DAY,
        [
            (SYR, SYR, EventType.FIGHT, False, "Druze fighters clashed with Bedouin tribesmen in Sweida."),
            (ISR, SYR, EventType.SUPPORT, True, "Israel vowed to protect the Druze."),
        ],
    )
    store.replace_brief(_with_agents(sweida, [(DRUZE, BEDOUIN), (None, DRUZE)]))


def test_two_officials_in_talks_are_a_dyad_and_their_states_one(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    for first, second in ((WITKOFF.id, ARAGHCHI.id), (ARAGHCHI.id, WITKOFF.id)):
        records = graph_store.interactions(first, second)
        assert [r.interaction.brief_id for r in records] == ["talks"], (first, second)
    assert [r.interaction.brief_id for r in graph_store.interactions("USA", "IRN")] == ["talks"]
    assert [r.interaction.brief_id for r in graph_store.interactions(WITKOFF.id, "IRN")] == ["talks"]


def test_communities_are_dyads_within_and_across_states(graph_store: CypherGraphStore) -> None:
    _seed(graph_store)
    clash = graph_store.interactions(DRUZE.id, BEDOUIN.id)
    assert [(r.interaction.event_type, r.interaction.source_id, r.interaction.target_id) for r in clash] == [
        (EventType.FIGHT, "SYR", "SYR")
    ]
    assert sorted(r.interaction.event_type.value for r in graph_store.interactions(DRUZE.id)) == ["FIGHT", "SUPPORT"]
    assert [r.interaction.event_type for r in graph_store.interactions("ISR", DRUZE.id)] == [EventType.SUPPORT]
    assert graph_store.interactions(BEDOUIN.id, "ISR") == []
