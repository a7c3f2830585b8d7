"""Source and target of an event from the parse: subjects, objects, prepositions, passives, the sides
'between' names, the author of a rejected demand, complements' subjects and objects, and implicit targets (an
agent noun standing for a country named elsewhere, the country an attack happened in, the own state or
population of a domestic event). Roles are actor ids or sector roles (:func:`ingest.extraction.context.role`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.registry import ActorRegistry
from graph_schema import lexicon
from graph_schema.ontology import ActorKind, EventType
from ingest.extraction.actors import registry_kind
from ingest.extraction.collectives import is_collective
from ingest.extraction.context import SentenceContext, Trigger, role, split_role
from ingest.extraction.phrases import PhraseReader
from ingest.extraction.places import PlaceReader
from ingest.extraction.syntax import lemma, noun_event, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class Roles:
    """The sides of one trigger: roles of the sources and targets, whether the event is mutual (undirected),
    and where it happened (None when the sentence names no place)."""

    sources: list[str]
    targets: list[str]
    symmetric: bool
    location: str | None


class RoleFinder:
    """Reads the sources and targets of a sentence's triggers."""

    def __init__(self, registry: ActorRegistry, places: PlaceReader, phrases: PhraseReader) -> None:
        self._registry = registry
        self._places = places
        self._phrases = phrases

    def roles(self, found: Trigger, ctx: SentenceContext, previous: SentenceContext | None) -> Roles | None:
        """Who does it and to whom, or None when the sentence does not say enough for an interaction (no
        source; no target and not a mutual event between several sources)."""
        trigger, noun, event_type = found.token, found.noun, found.event_type
        trigger_lemma = lemma(trigger)
        mediating = trigger_lemma in lexicon.MEDIATION_WORDS or (
            noun is not None
            and any(lemma(t) in lexicon.MEDIATION_WORDS for t in (noun, *noun.children) if t.dep_ != "prep")
        )
        symmetric = event_type in lexicon.SYMMETRIC and trigger_lemma not in lexicon.ONE_SIDED_VERBS and not mediating
        locations: list[str] = []
        targets: list[str] = []
        sources: list[str] = []
        sides: list[str] = []
        if trigger.pos_ in {"VERB", "AUX"} or (trigger.dep_ == "ROOT" and noun is not trigger):
            subject = subject_of(trigger)
            if subject is not None:
                if subject.dep_ == "nsubjpass":
                    targets += self._phrases.subject_actors(subject, ctx, locations)
                else:
                    sources += self._phrases.subject_actors(subject, ctx, locations)
            for child in trigger.children:
                if child.dep_ == "agent":
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        sources += self._phrases.phrase_actors(pobj, ctx, locations)
                elif child.dep_ in {"dobj", "dative", "oprd"} and child is not noun:
                    targets += self._phrases.phrase_actors(child, ctx, locations)
                elif child.dep_ == "prep":
                    self._prep_roles(child, ctx, targets, locations, sides, symmetric and len(sources) >= 2)
                elif child.dep_ == "prt" and child.lower_ == "up":
                    # "kidnapped up to 16 Russian advisers": a quantity parsed as a particle and a preposition
                    for prep in (c for c in child.children if c.dep_ == "prep" and c.lower_ == "to"):
                        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                            targets += self._phrases.phrase_actors(pobj, ctx, locations)
            if not targets:
                # "shared intelligence with Jordan": the recipient hangs off the object
                for child in trigger.children:
                    if child.dep_ == "dobj" and child is not noun:
                        for prep in (c for c in child.children if c.dep_ == "prep"):
                            if prep.lower_ in lexicon.TARGET_PREPOSITIONS and prep.lower_ not in {"for", "from", "on"}:
                                self._prep_roles(prep, ctx, targets, locations, sides, symmetric)
        if noun is not None:
            if noun is trigger:
                for child in noun.children:
                    if child.dep_ in {"amod", "poss", "compound", "nmod"}:
                        sources += self._phrases.phrase_actors(child, ctx, locations)
                if not sources and noun.dep_ == "pobj" and noun.head.head.pos_ in {"VERB", "AUX"}:
                    # "envoys flew to Doha for talks", "students marched during the protests":
                    # the event is that of the clause's subject
                    word = noun.head.lower_
                    inherit = word in lexicon.INHERITING_PREPOSITIONS or (
                        word == "for" and event_type in {EventType.CONSULT, EventType.COOPERATE}
                    )
                    subject = subject_of(noun.head.head) if inherit else None
                    if subject is not None and subject.dep_ != "nsubjpass":
                        inherited = self._phrases.subject_actors(subject, ctx, locations)
                        if event_type is not EventType.PROTEST or any(split_role(a)[1] for a in inherited):
                            sources += inherited
            else:
                # "rejected demands by Kyiv", "accepted Egypt's offer": the noun's author is the other side
                for child in noun.children:
                    if child.dep_ == "poss":
                        targets += [a for a in self._phrases.phrase_actors(child, ctx, locations) if a not in sources]
                    elif child.dep_ in {"prep", "agent"} and child.lower_ in {"by", "from"}:
                        for pobj in (c for c in child.children if c.dep_ == "pobj"):
                            targets += [
                                a for a in self._phrases.phrase_actors(pobj, ctx, locations) if a not in sources
                            ]
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ not in {"by", "from"}:
                    self._prep_roles(child, ctx, targets, locations, sides, symmetric and len(sources) >= 2)
                if child.dep_ == "prep" and child.lower_ == "of" and event_type in lexicon.OF_TARGET_TYPES:
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        targets += [a for a in self._phrases.phrase_actors(pobj, ctx, locations) if a not in sources]
        if sides:
            if mediating and sources:
                targets += sides
            else:
                sources = sorted(set(sources) | set(sides))
                symmetric = True if not targets else symmetric
        if event_type is EventType.PROTEST and not targets:
            # "blocked streets in defiance of the authorities", "a hunger strike in protest at Russia's refusal"
            for head in (trigger, noun):
                for prep in (c for c in (head.children if head is not None else ()) if c.dep_ == "prep"):
                    for stance in (g for g in prep.children if g.dep_ == "pobj" and lemma(g) in lexicon.STANCE_NOUNS):
                        for inner in (c for c in stance.children if c.dep_ == "prep"):
                            for pobj in (c for c in inner.children if c.dep_ == "pobj"):
                                targets += [a for a in self._phrases.phrase_actors(pobj, ctx, []) if a not in sources]
        if event_type is EventType.DISAPPROVE:
            # "complained to the EU about Russian drills": what is criticised, not who is addressed
            about: list[str] = []
            for head in (trigger, noun):
                for prep in (c for c in (head.children if head is not None else ()) if c.dep_ == "prep"):
                    if prep.lower_ in {"over", "about", "against", "of", "for", "as"}:
                        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                            about += [a for a in self._phrases.phrase_actors(pobj, ctx, []) if a not in sources]
            if about:
                targets = about
        if not targets and event_type is EventType.FIGHT and trigger_lemma in lexicon.TAKEOVER_VERBS:
            targets += ground_holders(trigger)  # "captured part of a guerrilla stronghold": the guerrillas
        if not targets:
            targets = self._complement_targets(found, ctx, locations, symmetric, sources)
        if not sources and event_type is EventType.ASSAULT and unknown_perpetrator(trigger, noun, ctx):
            sources = [role("", "attackers")]  # placed where the attack happened, like any unnamed agent
        if not sources and event_type in lexicon.AUTHORITY_TYPES and targets and agentless_passive(trigger):
            # "was arrested in Egypt", "was put under investigation in Italy": the authorities of the place
            sources = [role("", "")]
        sources = list(dict.fromkeys(sources))
        targets = [t for t in dict.fromkeys(targets) if t not in sources]
        location = ", ".join(dict.fromkeys(locations)) or (ctx.locations[0] if ctx.locations else None)
        if not sources:
            return None
        if not targets and not (symmetric and len(sources) >= 2):
            needs_actor = noun is None and trigger_lemma in lexicon.NEEDS_ACTOR_OBJECT and not found.complements
            place_type = found.complements[0].event_type if found.complements else event_type
            targets = self._implicit_target(trigger, noun, place_type, sources, ctx, previous, places=not needs_actor)
            if targets and location is None and previous is not None and previous.locations:
                location = ", ".join(previous.locations)
        if not targets:
            targets = self._domestic_target(event_type, sources, locations, ctx, noun)
        if not targets and noun is None and trigger_lemma in lexicon.NEEDS_ACTOR_OBJECT:
            return None
        if not targets and not (symmetric and len(sources) >= 2):
            return None
        return Roles(sources, targets, symmetric and not (targets and len(sources) == 1 and not sides), location)

    def _domestic_target(
        self,
        event_type: EventType,
        sources: list[str],
        locations: list[str],
        ctx: SentenceContext,
        measure: Token | None,
    ) -> list[str]:
        """The own state or population as the target of an event that names none: protesters protest against
        their government ("Kenyan students rallied", "thousands of Kurds protested in Diyarbakir"); a
        government's curfew or emergency at home bears on its population ("Chad imposed a curfew")."""
        if event_type in {EventType.PROTEST, EventType.DEMAND, EventType.CONCEDE} and any(
            split_role(s)[1] in lexicon.CONSTITUENT_SECTORS or is_collective(self._registry, s) for s in sources
        ):
            return ["#"]  # the state of the protesters, found when their nationality is
        if event_type in {EventType.COERCE, EventType.CONCEDE}:
            states = [s for s in sources if not split_role(s)[1]]
            if not states:
                return []
            state = self._registry.roll_up(states[0], None)
            for place in [*locations, *ctx.locations]:
                country = self._registry.place_country(place)
                if country is not None:
                    # a measure taken somewhere bears on that place ("eased restrictions in Kosovo")
                    return [role(state, "civilians") if country == state else country]
            if measure is not None and lemma(measure) in lexicon.DOMESTIC_MEASURES:
                return [role(state, "civilians")]  # "declared a state of emergency"
        return []

    def _complement_targets(
        self, found: Trigger, ctx: SentenceContext, locations: list[str], symmetric: bool, sources: list[str]
    ) -> list[str]:
        """Targets a governing trigger takes from its complement: the complement's own subject when it names
        someone else ("demanded that Egypt reopen ..."), else the objects of the folded-in triggers
        ("offered to send troops to Niger ...")."""
        targets: list[str] = []
        sides: list[str] = []
        for clause in found.clauses:
            for verb in clause_chain(clause):
                subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subject is not None and subject.pos_ != "PRON":
                    named = [a for a in self._phrases.phrase_actors(subject, ctx, locations) if a not in sources]
                    if named:
                        return named
        for inner in found.complements:
            symmetric = inner.event_type in lexicon.SYMMETRIC and lemma(inner.token) not in lexicon.ONE_SIDED_VERBS
            for head in (inner.token, inner.noun):
                if head is None:
                    continue
                for child in head.children:
                    if child.dep_ in {"dobj", "dative", "oprd"} and child is not inner.noun:
                        targets += self._phrases.phrase_actors(child, ctx, locations)
                    elif child.dep_ == "prep":
                        self._prep_roles(child, ctx, targets, locations, sides, symmetric)
                if inner.noun is inner.token:
                    for child in inner.token.children:
                        if child.dep_ in {"amod", "poss", "compound", "nmod"}:
                            targets += self._phrases.phrase_actors(child, ctx, locations)
            targets = [t for t in targets if t not in sources]
            if targets:
                return targets
        if found.event_type is EventType.THREATEN:
            # "threatened to quit the talks if Iran enriches further": whoever must meet the condition
            for head in (found.token, *(c.token for c in found.complements)):
                for clause in (c for c in head.children if c.dep_ == "advcl"):
                    if {m.lower_ for m in clause.children if m.dep_ == "mark"} & {"if", "unless"}:
                        subject = next((c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                        if subject is not None:
                            named = [a for a in self._phrases.phrase_actors(subject, ctx, []) if a not in sources]
                            if named:
                                return named
        return []

    def _prep_roles(
        self,
        prep: Token,
        ctx: SentenceContext,
        targets: list[str],
        locations: list[str],
        sides: list[str],
        symmetric: bool,
    ) -> None:
        word = prep.lower_
        if symmetric and word not in {"with", "against", "between", "among", *lexicon.LOCATION_PREPOSITIONS}:
            return  # "Serbia and Kosovo agreed to the EU's plan": the plan's author is not a party
        for pobj in (c for c in prep.children if c.dep_ in {"pobj", "pcomp"}):
            if word == "between" or word == "among":
                sides += self._phrases.phrase_actors(pobj, ctx, locations)
            elif word in lexicon.LOCATION_PREPOSITIONS:
                # "fired missiles at Israeli cities": after 'at' a nationality names the target, not a place
                place = self._places.place_name(pobj, ctx, nouns=word != "at")
                if place:
                    locations.append(place)
                elif word == "at":
                    targets += self._phrases.phrase_actors(pobj, ctx, locations)
            elif word in lexicon.TARGET_PREPOSITIONS:
                named = self._phrases.phrase_actors(pobj, ctx, locations)
                if not named and noun_event(pobj) is not None:
                    # "mobilised reservists for a war against Iraq": the purpose event's own target
                    for inner in (
                        c for c in pobj.children if c.dep_ == "prep" and c.lower_ in {"against", "on", "with"}
                    ):
                        named += [
                            a
                            for g in inner.children
                            if g.dep_ == "pobj"
                            for a in self._phrases.phrase_actors(g, ctx, [])
                        ]
                targets += named

    def _kind(self, actor_id: str) -> ActorKind | None:
        return registry_kind(self._registry, actor_id)

    def _implicit_target(
        self,
        trigger: Token,
        noun: Token | None,
        event_type: EventType,
        sources: list[str],
        ctx: SentenceContext,
        previous: SentenceContext | None,
        *,
        places: bool,
    ) -> list[str]:
        """No actor object: an agent noun ('the regime') or, for attacks, the country where they happened."""
        heads = [c for c in trigger.children if c.dep_ in {"dobj", "pobj"}]
        heads += [
            g for c in [trigger, *heads] for p in c.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"
        ]
        if noun is not None:
            heads += [g for c in noun.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        countries = [
            f.actor_id for f in ctx.found if self._kind(f.actor_id) is ActorKind.COUNTRY and f.actor_id not in sources
        ]
        named = {i for f in ctx.found for i in f.tokens()}
        # an agent noun standing for someone named elsewhere: not one with its own nationality ("Syrian
        # forces") or owner ("its forces", which are the subject's)
        standing = [
            h
            for h in heads
            if lemma(h) in lexicon.AGENT_NOUNS
            and not any(t.i in named for t in h.subtree)
            and not any(c.dep_ == "poss" for c in h.children)
        ]
        if standing and len(set(countries)) == 1:
            return countries[:1]
        if places and event_type in lexicon.PLACE_TARGET_TYPES:
            for place_source in (ctx.locations, previous.locations if previous and anaphoric(heads) else []):
                for place in place_source:
                    country = self._registry.place_country(place)
                    if country is not None and country not in sources:
                        return [country]
        return []


def ground_holders(verb: Token) -> list[str]:
    """The non-state side holding the ground taken ('a guerrilla stronghold', 'rebel-held territory'), as a
    sector whose country is found later."""
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        heads = [obj, *(g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children)]
        for head in heads:
            for token in head.subtree:
                sector = lexicon.NONSTATE_AGENTS.get(lemma(token))
                if sector is not None and token.i < head.i:
                    return [role("", sector)]
    return []


def agentless_passive(verb: Token) -> bool:
    return (
        verb.pos_ in {"VERB", "AUX"}
        and any(c.dep_ == "nsubjpass" for c in verb.children)
        and not any(c.dep_ == "agent" for c in verb.children)
    )


def unknown_perpetrator(trigger: Token, noun: Token | None, ctx: SentenceContext) -> bool:
    """An attack whose perpetrator the sentence does not name: a weapon or the attack itself as the subject
    ("a roadside bomb killed two soldiers"), or a passive with no agent but a weapon ("were killed in an
    explosion", "killed by a landmine")."""
    if trigger.pos_ not in {"VERB", "AUX"} or noun is not None:
        return False
    actors = {i for f in ctx.found for i in f.tokens()}
    subject = next((c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}), None)
    if subject is not None and subject.dep_ == "nsubj":
        return lemma(subject) in lexicon.WEAPON_NOUNS and not any(t.i in actors for t in subject.subtree)
    if subject is None or subject.dep_ != "nsubjpass":
        return False
    for agent in (c for c in trigger.children if c.dep_ == "agent"):
        for pobj in (c for c in agent.children if c.dep_ == "pobj"):
            return lemma(pobj) in lexicon.WEAPON_NOUNS and not any(t.i in actors for t in pobj.subtree)
    return True


def clause_chain(clause: Token) -> Iterator[Token]:
    """A clause and the clauses it embeds as complements ('refused to let Qatari jets refuel')."""
    yield clause
    for child in clause.children:
        if child.dep_ in {"xcomp", "ccomp"}:
            yield from clause_chain(child)


def anaphoric(heads: Iterable[Token]) -> bool:
    return any(c.lower_ in {"those", "these", "the", "such", "its", "their"} for h in heads for c in h.children)
