"""Agents to the states they act for: officials and bodies roll up through the registry's dated roles (or the
state named beside them, 'Syrian FM X'), unnamed agents take the country where they act, and an event between
two sides of one state is kept only when it is domestic (a state and its own people, or two of its agents one
of whom is a person)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.models import Actor
from core.registry import ActorRegistry
from graph_schema import lexicon
from graph_schema.ontology import ActorKind, EventType
from ingest.extraction.actors import actor_kind, registry_kind
from ingest.extraction.collectives import collective_country, is_collective
from ingest.extraction.context import SentenceContext, split_role
from ingest.extraction.phrases import title_chain_affiliation
from ingest.extraction.places import PlaceReader


@dataclass(frozen=True)
class ActingSides:
    """The states (or groups) on each side of one source/target role pair, the agents named for them (empty
    when none was) and the source's non-state sector ('' when the source is not a sector)."""

    source: str
    target: str
    source_agent: str
    target_agent: str
    source_sector: str


class RollUp:
    """Turns a pair of sentence roles into the acting sides of an interaction."""

    def __init__(self, registry: ActorRegistry, places: PlaceReader) -> None:
        self._registry = registry
        self._places = places

    def sides(
        self,
        source_role: str,
        target_role: str,
        event_type: EventType,
        date: dt.date | None,
        ctx: SentenceContext,
        actors: dict[str, Actor],
    ) -> ActingSides | None:
        """The acting sides of a role pair, or None when a side stays unknown or both are one side."""
        (source_agent, source_sector), (target_agent, target_sector) = split_role(source_role), split_role(target_role)
        source = self._rolled(source_agent, date, ctx, actors)
        target = self._rolled(target_agent, date, ctx, actors)
        # an agent of unnamed nationality is of the country where it acts, else (for what a state does
        # to its own people and they to it) of the state it faces
        domestic = event_type in lexicon.DOMESTIC_DEFAULT_TYPES
        source = source or self._places.location_country(ctx) or (self._country_or_none(target) if domestic else "")
        target = target or self._places.location_country(ctx) or (self._country_or_none(source) if domestic else "")
        if not source or not target:
            return None
        if (
            source == target
            and source_sector == target_sector
            and not self._domestic_agents(event_type, source_agent, target_agent, source, ctx)
        ):
            return None  # one side; different sectors of one state (police, protesters) are a domestic event
        return ActingSides(source, target, source_agent, target_agent, source_sector)

    def _domestic_agents(
        self, event_type: EventType, source_agent: str, target_agent: str, state: str, ctx: SentenceContext
    ) -> bool:
        """Two different agents of one state, one of them a person ("an Argentine judge summoned the former
        president", "the government banned the opposition leader's party"): a domestic event, for the types
        that are mostly domestic (coercion, demands, refusals, accusations, investigations, concessions).
        Not within a group (a leader and the movement he leads) and not between the state and its own
        bodies (the government and its army are one side). A community, or someone acting for one, facing
        anyone else of its country is a domestic event of any type ("Druze fighters clashed with Bedouin
        tribesmen", "the president met the Druze spiritual leader")."""
        if source_agent == target_agent or registry_kind(self._registry, state) is not ActorKind.COUNTRY:
            return False
        if self._communal(source_agent, ctx) != self._communal(target_agent, ctx):
            return True  # the other side may be the state itself, unnamed ("the Kurds protested")
        if event_type not in lexicon.DOMESTIC_AGENT_TYPES or not source_agent or not target_agent:
            return False

        def is_state(agent: str) -> bool:
            known = self._registry.get(agent)
            return agent == state or (
                known is not None and known.kind is not ActorKind.PERSON and (known.code or "") == state
            )

        return not (is_state(source_agent) and is_state(target_agent))

    def _rolled(self, agent: str, date: dt.date | None, ctx: SentenceContext, actors: dict[str, Actor]) -> str:
        if not agent:
            return ""
        return self._context_roll_up(self._registry.roll_up(agent, date), agent, ctx, actors)

    def _context_roll_up(self, rolled: str, agent: str, ctx: SentenceContext, actors: dict[str, Actor]) -> str:
        """An official the registry cannot place acts for the state named beside them ('Syrian FM X'), or
        for the community named beside them ('Druze leader X'); a community acts in the country the text
        places it in (:func:`.collectives.collective_country`), and stays its own side when none is."""
        if rolled == agent and actor_kind(agent, actors) in {ActorKind.PERSON, ActorKind.ORGANISATION}:
            rolled = (
                ctx.affiliations.get(agent)
                or title_chain_affiliation(self._registry, ctx, agent)
                or ctx.brief_affiliations.get(agent)
                or rolled
            )
        if not is_collective(self._registry, rolled):
            return rolled
        country = collective_country(
            self._registry,
            rolled,
            named=ctx.affiliations.get(rolled),
            sentence_places=ctx.locations,
            previous_places=ctx.previous_locations,
            countries_of_brief=ctx.brief_countries,
        )
        return country or rolled

    def _communal(self, agent: str, ctx: SentenceContext) -> str:
        """The community an agent is or acts for in this sentence; '' for none."""
        for candidate in (agent, ctx.affiliations.get(agent, "")):
            if candidate and is_collective(self._registry, candidate):
                return candidate
        return ""

    def _country_or_none(self, actor_id: str) -> str:
        return actor_id if actor_id and registry_kind(self._registry, actor_id) is ActorKind.COUNTRY else ""
