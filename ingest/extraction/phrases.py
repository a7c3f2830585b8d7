"""The actors a noun phrase names, as roles: compound actors split ("Turkish and Israeli officials" -> both
sides), a nationality on a non-state agent kept as its sector ('Sudanese rebels'), a state that only modifies a
named official kept as the official's affiliation ('Israel's adviser Hanegbi'), pronouns resolved up the
clause chain."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from core.registry import ActorRegistry
from graph_schema import lexicon
from graph_schema.ontology import ActorKind
from ingest.extraction.actors import registry_kind
from ingest.extraction.context import FoundActor, SentenceContext, role
from ingest.extraction.person_evidence import ROLE_WORDS
from ingest.extraction.places import PlaceReader
from ingest.extraction.syntax import lemma, nonstate_sector

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_STATE_KINDS = frozenset({ActorKind.COUNTRY, ActorKind.ARMED_GROUP})
# Words of a title written before a name ("Russian delegation head X", "Iran's top nuclear negotiator X").
_TITLE_CHAIN_WORDS = ROLE_WORDS | frozenset(
    {"delegation", "team", "spiritual", "religious", "top", "lead", "senior", "military", "political", "former"}
    | {"acting", "interim", "deputy", "nuclear", "chief", "foreign", "defence", "defense", "interior", "prime"}
    | {"special", "affairs", "intelligence", "security", "national", "'s", "’s"}
)
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "cc", "mark", "parataxis"})


class PhraseReader:
    """Reads the actors of noun phrases in one sentence. Places named inside a phrase are appended to the
    caller's `locations`; affiliations are recorded on the sentence context."""

    def __init__(self, registry: ActorRegistry, places: PlaceReader) -> None:
        self._registry = registry
        self._places = places

    def subject_actors(self, subject: Token, ctx: SentenceContext, locations: list[str]) -> list[str]:
        """Actors of a subject phrase; a pronoun ('it', 'they', 'their forces') stands for the nearest subject
        up the clause chain that names someone ("Iran said it would reject the plan")."""
        named = self.phrase_actors(subject, ctx, locations)
        if named:
            return named
        pronoun = (
            subject
            if subject.pos_ == "PRON"
            else next((c for c in subject.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        )
        if pronoun is None or pronoun.lower_ not in lexicon.ANAPHORIC_PRONOUNS:
            return []
        current = subject.head
        for _ in range(6):
            if current.dep_ not in {"ccomp", "xcomp", "advcl", "conj", "relcl", "acomp", "pcomp"}:
                break
            current = current.head if current.head.dep_ != "prep" else current.head.head
            outer = next((c for c in current.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if outer is not None and outer.pos_ != "PRON":
                named = self.phrase_actors(outer, ctx, [])
                if named:
                    return named
        before = [f for f in ctx.found if f.end <= pronoun.i and ctx.span.doc[f.start].dep_ != "pobj"]
        return [before[0].actor_id] if before else []

    def phrase_actors(self, head: Token, ctx: SentenceContext, locations: list[str]) -> list[str]:
        """Actors named in a noun phrase, as roles (see :func:`ingest.extraction.context.role`). A country
        named as the nationality of a non-state agent ('Sudanese rebels', 'students throughout Indonesia') is
        that country's sector; a non-state agent with no nationality ('demonstrators') is a sector whose
        country is found later."""
        before = len(locations)
        named = self._named_in_phrase(head, ctx, locations)
        sector = nonstate_sector(head)
        if sector is None:
            if not named and lemma(head) in lexicon.AGENT_NOUNS:
                # "soldiers in Mali": a state's agents placed in it
                for place in locations[before:]:
                    country = self._registry.place_country(place)
                    if country is not None:
                        return [country]
            return named
        roles = [role(state, sector) if (state := self._sector_state(a)) else a for a in named]
        if roles:
            return roles
        for place in locations[before:]:
            country = self._registry.place_country(place)
            if country is not None:
                return [role(country, sector)]
        for modifier in (c for c in head.children if c.dep_ in {"compound", "amod", "nmod"} and c.pos_ == "PROPN"):
            country = self._registry.place_country(modifier.text)  # "Darfur rebels": rebels of Sudan
            if country is not None:
                return [role(country, sector)]
        return [role("", sector)]

    def _named_in_phrase(self, head: Token, ctx: SentenceContext, locations: list[str]) -> list[str]:
        """Actors named in a noun phrase, without its clauses; a state or group that only modifies a named
        official ('Israel's adviser Hanegbi') is the official's affiliation, not a second actor."""
        tokens = sorted(self._phrase_tokens(head, ctx, locations), key=lambda t: t.i)
        indices = {t.i for t in tokens}
        in_phrase = [f for f in ctx.found if f.start in indices]
        officials = [
            f
            for f in in_phrase
            if self._kind(f.actor_id) in {ActorKind.PERSON, ActorKind.ORGANISATION, ActorKind.COLLECTIVE}
            or f.actor_id.startswith(("person:", "org:"))
        ]
        result: list[str] = []
        doc = ctx.span.doc

        def describes(f: FoundActor, o: FoundActor) -> bool:
            """f modifies o inside the phrase: 'Syria's envoy X', 'X, the UN envoy'."""
            f_root, o_root = doc[f.start : f.end].root, doc[o.start : o.end].root
            return (f.end <= o.start or _through_appos(f_root, o_root)) and _modifies(f_root, o_root)

        for f in in_phrase:
            if _attitude(doc, f.start):
                continue  # "an anti-Syria journalist" is not Syrian
            kind = self._kind(f.actor_id)
            modifies = next((o for o in officials if o is not f and describes(f, o)), None)
            unplaced = modifies is not None and self._registry.get(modifies.actor_id) is None
            if modifies is not None and (kind in _STATE_KINDS or (kind is ActorKind.ORGANISATION and unplaced)):
                ctx.affiliations[modifies.actor_id] = f.actor_id
                continue
            if kind is ActorKind.COLLECTIVE and (modifies is not None or any(describes(f, o) for o in in_phrase)):
                # "Druze leader X" acts for the Druze; "Kurdish-led SDF", "Druze militia X" are one actor
                if modifies is not None and unplaced and self._kind(modifies.actor_id) is not ActorKind.COLLECTIVE:
                    ctx.affiliations.setdefault(modifies.actor_id, f.actor_id)
                continue
            countries = [o for o in in_phrase if o is not f and self._kind(o.actor_id) is ActorKind.COUNTRY]
            if kind is ActorKind.ORGANISATION and any(describes(f, o) for o in countries):
                continue  # "EU member Austria": the organisation only describes the country
            if kind is ActorKind.COUNTRY and any(describes(o, f) and o.actor_id != f.actor_id for o in countries):
                continue  # "Bosnian Serbs", "Iraqi Kurds": a people named by where they live
            result.append(f.actor_id)
        return result

    def _phrase_tokens(self, head: Token, ctx: SentenceContext, locations: list[str]) -> Iterator[Token]:
        """The tokens of a noun phrase that can name its actors. Clauses and most prepositional phrases are
        left out; so is 'of X' when the head already has a nationality ('the Turkish and Greek sides of
        Cyprus'), and an apposition when the head is itself a known actor ('Pakistan, a key U.S. ally')."""
        yield head
        actor_tokens = {i for f in ctx.found for i in f.tokens()}
        registered = {i for f in ctx.found if f.actor_id in self._registry for i in f.tokens()}
        named_head = head.i in registered  # an unknown name keeps its apposition ("X, the UN envoy")
        has_nationality = any(c.dep_ in {"amod", "compound"} and c.i in actor_tokens for c in head.children)
        for child in head.children:
            if child.dep_ in _CLAUSE_DEPS:
                continue
            if child.dep_ == "appos" and named_head:
                continue
            if child.dep_ == "prep" and child.lower_ == "of" and has_nationality:
                continue
            if child.dep_ == "prep" and child.lower_ in lexicon.LOCATION_PREPOSITIONS:
                for pobj in (c for c in child.children if c.dep_ == "pobj"):
                    place = self._places.place_name(pobj, ctx)
                    if place:
                        locations.append(place)
                continue
            if child.dep_ == "prep" and child.lower_ not in {"of", "from", "including", "like", "by"}:
                continue
            yield from self._phrase_tokens(child, ctx, locations)

    def _sector_state(self, actor_id: str) -> str | None:
        """The country whose non-state sector a named actor makes of its agent noun: the country itself
        ('Sudanese rebels'), or a person's ('Assad loyalists' are Syria's, not Assad)."""
        kind = self._kind(actor_id)
        if kind is ActorKind.PERSON:
            actor_id = self._registry.roll_up(actor_id, None)
            kind = self._kind(actor_id)
        return actor_id if kind is ActorKind.COUNTRY else None

    def _kind(self, actor_id: str) -> ActorKind | None:
        return registry_kind(self._registry, actor_id)


def title_chain_affiliation(registry: ActorRegistry, ctx: SentenceContext, agent: str) -> str | None:
    """The state, group or community that a title written before a name ties it to, read word by word when
    the parse does not join them ('Russian delegation head Vladimir Medinsky' -> RUS)."""
    doc = ctx.span.doc
    starts = [f.start for f in ctx.found if f.actor_id == agent]
    ends = {f.end: f.actor_id for f in ctx.found}
    for start in starts:
        i = start - 1
        while i >= ctx.span.start and start - i <= 5 and doc[i].lower_ in _TITLE_CHAIN_WORDS:
            i -= 1
        owner = ends.get(i + 1) if i + 1 < start else None
        if owner is not None and registry_kind(registry, owner) in {*_STATE_KINDS, ActorKind.COLLECTIVE}:
            return owner
    return None


def brief_title_affiliations(registry: ActorRegistry, contexts: list[SentenceContext]) -> dict[str, str]:
    """Officials the registry lacks -> what the first title written before their name in the brief ties them
    to ('Ukrainian Defence Minister Rustem Umerov ... Umerov later met Fidan': Umerov acts for Ukraine)."""
    titled: dict[str, str] = {}
    for ctx in contexts:
        for f in ctx.found:
            if f.actor_id in titled or f.actor_id in registry or not f.actor_id.startswith("person:"):
                continue
            owner = title_chain_affiliation(registry, ctx, f.actor_id)
            if owner is not None:
                titled[f.actor_id] = owner
    return titled


def _attitude(doc: Doc, start: int) -> bool:
    """Whether the name at ``start`` follows an attitude prefix: 'anti-Syria', 'pro - Iranian'."""
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if before and before[-1] == "-":
        before = before[:-1]
    elif before and before[-1].endswith("-"):
        before = [before[-1][:-1]]
    return bool(before) and before[-1] in lexicon.ATTITUDE_PREFIXES


def _through_appos(modifier: Token, head: Token) -> bool:
    """Whether the modifier's chain up to the head passes through an apposition ('X, the UN envoy')."""
    current = modifier
    for _ in range(6):
        if current == head or current.head == current:
            return False
        if current.dep_ == "appos" and current.head == head:
            return True
        current = current.head
    return False


def _modifies(modifier: Token, head: Token) -> bool:
    """Whether `modifier` hangs off `head` inside one noun phrase (poss/compound/amod chain); a name in
    apposition counts as its title's head ("Chad's envoy, Jane Doe")."""
    if head.dep_ == "appos" and head.head != head and _modifies(modifier, head.head):
        return True
    current = modifier
    for _ in range(6):
        if current == head:
            return True
        if current.dep_ not in {"poss", "compound", "amod", "nmod", "case", "appos"} and current != modifier:
            return False
        if current.head == current:
            return False
        current = current.head
    return current == head
