"""Places: the registry's place index and the parse locate events and agents ('in Tel Aviv', 'near Palmyra',
'the Iraqi city of Basra'); a place never becomes an actor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.registry import ActorRegistry
from graph_schema import lexicon
from graph_schema.ontology import ActorKind
from ingest.extraction.actors import registry_kind
from ingest.extraction.context import SentenceContext
from ingest.extraction.syntax import lemma

if TYPE_CHECKING:
    from spacy.tokens import Token


class PlaceReader:
    """Reads the places a sentence names, and the countries they are in."""

    def __init__(self, registry: ActorRegistry) -> None:
        self._registry = registry

    def sentence_locations(self, ctx: SentenceContext) -> list[str]:
        """Places named in locative phrases ('in Azerbaijan', 'near Palmyra'), in sentence order."""
        places: list[str] = []
        for token in ctx.span:
            if token.dep_ == "prep" and token.lower_ in lexicon.LOCATION_PREPOSITIONS:
                objects = [c for c in token.children if c.dep_ == "pobj"]
                # "outside of Basra", "inside of the camp"
                objects += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
                for child in objects:
                    if child.dep_ == "pobj":
                        place = self.place_name(child, ctx)
                        if place and place not in places:
                            places.append(place)
        return places

    def place_name(self, head: Token, ctx: SentenceContext, depth: int = 0, *, nouns: bool = True) -> str | None:
        """The place a locative object names: a country, a place entity, or a proper-noun phrase
        ('the Palmyra region'); through a place noun, the country it is placed in ('the Iraqi city of Basra',
        'a district of eastern Beirut')."""
        place = self._named_place(head, ctx)
        if place is not None or not nouns or depth >= 3 or lemma(head) not in lexicon.PLACE_NOUNS:
            return place
        for child in head.children:
            if child.dep_ in {"amod", "poss", "compound"}:
                for f in ctx.found:
                    if child.i in f.tokens() and registry_kind(self._registry, f.actor_id) is ActorKind.COUNTRY:
                        known = self._registry.get(f.actor_id)
                        return known.name if known is not None else None
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                place = self.place_name(pobj, ctx, depth + 1)
                if place is not None:
                    return place
        return None

    def _named_place(self, head: Token, ctx: SentenceContext) -> str | None:
        parts = [head, *(c for c in head.children if c.dep_ == "compound")]
        if lemma(head) in lexicon.PLACE_NOUNS:
            parts += [c for c in head.children if c.dep_ == "appos"]  # "the capital Kabul"
        for f in ctx.found:
            if any(t.i in f.tokens() for t in parts):
                known = self._registry.get(f.actor_id)
                if known is not None and known.kind is ActorKind.COUNTRY:
                    return known.name
                return None  # an actor, not a place
        for ent in ctx.span.ents:
            if ent.label_ in {"GPE", "LOC", "FAC"} and any(ent.start <= t.i < ent.end for t in parts):
                return ent.text
        proper = [t for t in head.lefts if t.dep_ in {"compound", "amod"} and t.pos_ == "PROPN"]
        if head.pos_ == "PROPN" or proper:
            start = min(t.i for t in [*proper, head])
            return head.doc[start : head.i + 1].text
        return None

    def location_country(self, ctx: SentenceContext) -> str:
        """The country of the first of the sentence's locations the registry can place; '' when none."""
        for place in ctx.locations:
            country = self._registry.place_country(place)
            if country is not None:
                return country
        return ""
