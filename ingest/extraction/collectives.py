"""The country a collective actor (the Druze, the Kurds, Bedouin tribes) acts in, read from the text.

A community is not a state body: it acts *in* a country, and in an interaction that country is the endpoint
while the community stays the named agent (as a person's state is the endpoint and the person the agent). The
Druze live in Syria, Lebanon and Israel, so which one a sentence is about comes from, in order:

1. a country named beside it ('Syrian Druze', 'the Druze of Lebanon');
2. a place in its sentence ('clashes in Sweida' -> Syria), then in the sentence before;
3. the country the brief names most, among those the community lives in;
4. its home country, when it lives mainly in one (the registry's ``code``).

None when nothing says: the collective then stays an endpoint of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from core.registry import ActorRegistry
from graph_schema.ontology import ActorKind

__all__ = ["brief_countries", "collective_country", "is_collective"]


def is_collective(registry: ActorRegistry, actor_id: str) -> bool:
    known = registry.get(actor_id)
    return known is not None and known.kind is ActorKind.COLLECTIVE


def brief_countries(registry: ActorRegistry, actor_ids: Iterable[str], places: Iterable[str] = ()) -> list[str]:
    """The countries a brief names (as actors, or through the places it names), most often named first;
    ties in the order first named."""
    counts: Counter[str] = Counter()
    for actor_id in actor_ids:
        known = registry.get(actor_id)
        if known is not None and known.kind is ActorKind.COUNTRY:
            counts[known.id] += 1
    for place in places:
        country = registry.place_country(place)
        if country is not None:
            counts[country] += 1
    return [country for country, _ in counts.most_common()]


def collective_country(
    registry: ActorRegistry,
    collective_id: str,
    *,
    named: str | None = None,
    sentence_places: Sequence[str] = (),
    previous_places: Sequence[str] = (),
    countries_of_brief: Sequence[str] = (),
) -> str | None:
    """The country ``collective_id`` acts in (see the module docstring for the order of evidence)."""
    known = registry.get(collective_id)
    if known is None or known.kind is not ActorKind.COLLECTIVE:
        return None
    if named is not None and registry.get(named) is not None:
        return named
    for places in (sentence_places, previous_places):
        for place in places:
            country = registry.place_country(place)
            if country is not None:
                return country
    homes = set(known.countries)
    for country in countries_of_brief:
        if country in homes:
            return country
    return known.code
