"""Entity spans to registry actors: registry aliases matched over token n-grams (accents, possessives and 'the'
folded), then spaCy NER for names the registry lacks (office holders by title and date, fuzzy registry matches,
new people and organisations with a normalised id)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from core.alias_scan import alias_index, scan_aliases
from core.models import Actor
from core.registry import TITLES, ActorRegistry, RegistryActor, normalise_name
from graph_schema.ontology import ActorKind
from ingest.extraction.context import FoundActor
from ingest.extraction.person_evidence import PersonEvidence, glued_to_a_name, new_actor_allowed, place_follows

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_JOB_TITLE = re.compile(
    r"\b(?:Minister|Ministers|Advis[eo]r|Secretary|Envoy|President|Spokes(?:man|woman|person)|Ambassador|"
    r"Chief|Commander|Director|Council|Officials?|Counterparts?)\b"
)
_HONORIFICS = re.compile(
    r"^(?:(?:President|Prime Minister|PM|Minister|Foreign Minister|Defen[cs]e Minister|Gen(?:eral)?\.?|"
    r"Sheikh|King|Crown Prince|Emir|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sen(?:ator)?\.?|Ambassador|Envoy|Secretary)\s+)+"
)


def registry_kind(registry: ActorRegistry, actor_id: str) -> ActorKind | None:
    """The kind the registry gives an actor; None for an actor it does not know."""
    known = registry.get(actor_id)
    return known.kind if known is not None else None


def actor_kind(actor_id: str, actors: dict[str, Actor]) -> ActorKind:
    """The kind of an actor already stored for this brief; OTHER before it is stored."""
    return actors[actor_id].kind if actor_id in actors else ActorKind.OTHER


class ActorFinder:
    """Finds the actors of a parsed section and keeps the brief's actor table (every actor found, and whoever
    it rolls up to, so interaction endpoints always exist)."""

    def __init__(self, registry: ActorRegistry) -> None:
        self._registry = registry
        self._alias_index = alias_index(registry)

    def find(
        self, doc: Doc, date: dt.date | None, actors: dict[str, Actor], evidence: PersonEvidence | None = None
    ) -> list[FoundActor]:
        """The actors named in a doc in token order, each stored in `actors` as it is found. A name the NER
        finds and the registry lacks becomes an actor only with evidence (:mod:`.person_evidence`; `evidence`
        tells what the whole brief says about its names)."""
        found: list[FoundActor] = []
        taken: set[int] = set()
        for start, end, actor_id in scan_aliases([t.text for t in doc], self._alias_index):
            if registry_kind(self._registry, actor_id) is ActorKind.PERSON and (
                glued_to_a_name(doc, start) or place_follows(doc, end)
            ):
                continue  # 'Nkweta-Salami' is not Salami; 'Jomo Kenyatta International Airport' is a place
            found.append(FoundActor(actor_id, start, end, doc[start:end].text))
            taken.update(range(start, end))
            self.remember(actor_id, actors, date)
        for ent in doc.ents:
            if any(t.i in taken for t in ent):
                continue
            resolved = self.resolve_entity(ent, date)
            if resolved is None or not new_actor_allowed(ent, resolved, resolved.name, self._registry, evidence, taken):
                continue
            found.append(FoundActor(resolved.id, ent.start, ent.end, ent.text))
            taken.update(range(ent.start, ent.end))
            actors.setdefault(
                resolved.id,
                Actor(
                    id=resolved.id, name=resolved.name, kind=resolved.kind, code=resolved.code, aliases=resolved.aliases
                ),
            )
            self.remember(resolved.id, actors, date)
        found += self._surnames(doc, taken, actors)
        return sorted(found, key=lambda f: f.start)

    def _surnames(self, doc: Doc, taken: set[int], actors: dict[str, Actor]) -> list[FoundActor]:
        """A person the registry lacks, named in full earlier in the brief, named again by surname alone
        ('Vladimir Medinsky ... Medinsky said'); a surname two such people share names neither."""
        owners: dict[str, set[str]] = {}
        for actor in actors.values():
            if actor.kind is ActorKind.PERSON and actor.id not in self._registry:
                words = normalise_name(actor.name).split()
                if len(words) >= 2 and len(words[-1]) >= 3:
                    owners.setdefault(words[-1], set()).add(actor.id)
        found: list[FoundActor] = []
        for token in doc:
            if token.i in taken or token.pos_ != "PROPN" or not token.text[:1].isupper():
                continue
            owner = owners.get(normalise_name(token.text), set())
            if len(owner) == 1:
                found.append(FoundActor(next(iter(owner)), token.i, token.i + 1, token.text))
                taken.add(token.i)
        return found

    def resolve_entity(self, ent: Span, date: dt.date | None = None) -> RegistryActor | None:
        """A named entity the alias table missed: a title and a surname ("President Bush"), a fuzzy registry
        match, or a new actor with a normalised id."""
        if ent.label_ not in {"PERSON", "ORG"}:
            return None
        if ent.label_ == "PERSON" and (holder := self._office_holder(ent, date)) is not None:
            return holder
        name = _HONORIFICS.sub("", ent.text.strip()).strip(" ,.'’")
        name = re.sub(r"^[Tt]he\s+", "", name)
        key = normalise_name(name)
        if len(key) < 3 or not any(ch.isalpha() for ch in key):
            return None
        if not any(word[:1].isupper() for word in name.split()):
            return None  # "the umbrella union": a common noun phrase, not a name
        kind = ActorKind.PERSON if ent.label_ == "PERSON" else ActorKind.ORGANISATION
        if (known := self._registry.resolve(name)) is not None:
            return known
        if self._registry.place_country(name) is not None:
            return None  # a town the parser took for a person ("Kiryat Shmona") locates events, it acts in none
        fuzzy = self._registry.fuzzy(name, kind=kind)
        if fuzzy is not None:
            return fuzzy[0]
        if _JOB_TITLE.search(name):
            return None  # "National Security Advisor" is a role, not an organisation
        if len(key.split()) < 2 and not (kind is ActorKind.ORGANISATION and name.isupper() and len(name) >= 2):
            return None  # a lone capitalised word tagged PERSON/ORG is too often a place or a misparse
        prefix = "person" if kind is ActorKind.PERSON else "org"
        return RegistryActor(id=f"{prefix}:{key.replace(' ', '-')}", name=name, kind=kind, code=None)

    def _office_holder(self, ent: Span, date: dt.date | None) -> RegistryActor | None:
        """'President Bush', 'Prime Minister Major': a title before a one-word surname names the office holder
        (a surname alone is not an alias when it is an everyday word or shared)."""
        words = ent.text.split()
        doc = ent.doc
        before = [t.text for t in doc[max(0, ent.start - 2) : ent.start]]
        for size in (2, 1):
            title = " ".join(words[:size]) if len(words) == size + 1 else ""
            if title.lower() not in TITLES:
                title = " ".join(before[-size:]) if len(words) == 1 and len(before) >= size else ""
            if title.lower() in TITLES and title[:1].isupper():
                return self._registry.titled(title, words[-1], date)
        return None

    def remember(self, actor_id: str, actors: dict[str, Actor], date: dt.date | None) -> None:
        """Store the actor and whoever it rolls up to, so interaction endpoints always exist."""
        for current in (actor_id, self._registry.roll_up(actor_id, date)):
            if current in actors:
                continue
            known = self._registry.get(current)
            if known is not None:
                actors[current] = Actor(
                    id=known.id, name=known.name, kind=known.kind, code=known.code, aliases=known.aliases
                )
