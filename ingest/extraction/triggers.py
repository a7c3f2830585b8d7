"""Event triggers: candidate words from the event lexicon read over the parse (verbs, event nouns, light and
reversal verbs), then complement folding, so reporting and intent verbs neither hide nor duplicate the event.

Each trigger carries the rules' event type; the pipeline's type decision (:mod:`ingest.extraction.type_decision`)
may change it before roles are read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from graph_schema import lexicon
from graph_schema.ontology import EventType
from ingest.extraction.context import Trigger
from ingest.extraction.syntax import depth, lemma, nonstate_sector, noun_event, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def sentence_triggers(span: Span) -> list[Trigger]:
    """The sentence's event triggers after folding complements into the verb that governs them.

    "Iran threatened to cut gas supplies to Armenia" is one THREATEN event, not a THREATEN and a
    SANCTION: a trigger inside the complement clause of another trigger (xcomp always; ccomp for speech-act
    verbs) is not an event of its own, but its roles stand in for the governing trigger's missing ones. An
    intent verb (agree, promise, vow...) whose complement is a conflictual act becomes THREATEN."""
    raw = list(candidate_triggers(span))
    by_token = {t.token.i: t for t in raw}
    absorbed: set[int] = set()
    result: list[Trigger] = []
    for t in raw:
        if t.token.i in absorbed:
            continue
        if t.event_type is EventType.COERCE and lemma(t.token) in lexicon.OBSTRUCT_VERBS:
            subject = subject_of(t.token)
            if subject is not None and nonstate_sector(subject) is not None:
                t = Trigger(t.token, EventType.PROTEST, t.noun)  # "farmers blocked the motorway": protest
        clauses = complement_clauses(t)
        inner = [
            by_token[tok.i]
            for clause in clauses
            for tok in sorted(clause.subtree, key=lambda x: (depth(x), x.i))
            if tok.i in by_token and tok.i != t.token.i
        ]
        absorbed.update(c.token.i for c in inner)
        event_type = t.event_type
        if inner and lemma(t.token) in lexicon.INTENT_VERBS and inner[0].event_type in lexicon.CONFLICTUAL:
            event_type = EventType.THREATEN
        if _ultimatum(t.token):
            event_type = EventType.THREATEN  # "will recall its envoy unless ...": a conditional threat
        result.append(Trigger(t.token, event_type, t.noun, tuple(inner), tuple(clauses)))
    return [t for t in result if t.token.i not in absorbed]


def candidate_triggers(span: Span) -> Iterator[Trigger]:
    """Candidate triggers: (token, event type, the event noun when a noun names the event)."""
    for token in span:
        word = lemma(token)
        if token.pos_ in {"VERB", "AUX"} or (token.pos_ == "NOUN" and token.dep_ == "ROOT"):
            trigger = _verb_trigger(token, word)
            if trigger is not None:
                yield trigger
        elif token.pos_ in {"NOUN", "PROPN"} and (noun_type := noun_event(token)) is not None:
            governing = lemma(token.head)
            if token.dep_ in {"dobj", "attr", "nsubjpass"} and (
                governing in lexicon.LIGHT_VERBS or governing in lexicon.REVERSAL_VERBS or phrasal_reversal(token.head)
            ):
                continue  # taken with its verb
            if (
                token.dep_ == "pobj"
                and token.head.lower_ == "of"
                and token.head.head.dep_ in {"dobj", "dative"}
                and lemma(token.head.head.head) in lexicon.LIGHT_VERBS
            ):
                continue  # "gave ... tonnes of aid": taken with the light verb
            if token.dep_ in {"compound", "amod"}:
                continue  # "peace mission" (the head carries it), "aid agencies", "opposition parties"
            yield Trigger(token, noun_type, token)


def _verb_trigger(token: Token, word: str) -> Trigger | None:
    """The trigger a verb (or a root noun) makes, if any; `word` is its lemma."""
    objects = [c for c in token.children if c.dep_ in {"dobj", "attr", "nsubjpass"}]
    # "launched artillery, mortar and rocket fire": the event noun may be a later conjunct
    objects += [c for o in list(objects) for c in o.conjuncts if c.i > o.i and c.pos_ == "NOUN"]
    event_noun, noun_type = next(((c, k) for c in objects if (k := noun_event(c)) is not None), (None, None))
    phrasal = phrasal_reversal(token)
    if event_noun is None and (word in lexicon.LIGHT_VERBS or word in lexicon.REVERSAL_VERBS or phrasal):
        # "gave Chad two tonnes of food aid", "lifted the state of emergency": the event is the
        # measure's 'of' noun
        event_noun, noun_type = next(
            (
                (g, k)
                for c in objects
                for p in c.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for g in p.children
                if g.dep_ == "pobj" and (k := noun_event(g)) is not None
            ),
            (None, None),
        )
    if (word in lexicon.REVERSAL_VERBS or phrasal) and event_noun is not None and noun_type is not None:
        # "suspended cooperation", "cut ties", "halted aid": the opposite of the noun's event
        reversed_type = lexicon.REVERSED.get(noun_type, EventType.REJECT)
        if word in lexicon.REFUSAL_VERBS:
            reversed_type = EventType.REJECT  # "rejected a call for a truce"
        return Trigger(token, reversed_type, event_noun)
    if word in lexicon.LIGHT_VERBS and event_noun is None:
        message = next(
            (
                c
                for c in objects
                if lemma(c) in lexicon.MESSAGE_NOUNS
                and any(g.dep_ in {"acl", "ccomp"} and _has_obligation(g) for g in c.children)
            ),
            None,
        )
        if message is not None:
            return Trigger(token, EventType.DEMAND, message)  # "issued a reminder that Iraq must ..."
    if word in lexicon.LIGHT_VERBS and event_noun is not None and noun_type is not None:
        if noun_type is EventType.PROTEST and word in lexicon.VERBAL_PROTEST_VERBS:
            noun_type = EventType.DISAPPROVE  # "filed a protest with Ankara" is diplomatic
        if noun_type is EventType.AGREE and word in lexicon.FINALISING_VERBS:
            noun_type = EventType.SUPPORT  # "signed a border treaty"
        return Trigger(token, noun_type, event_noun)
    if word in lexicon.PREPOSITIONAL_LIGHT_VERBS:
        # "took part in the raids", "resorted to force"
        preposition = lexicon.PREPOSITIONAL_LIGHT_VERBS[word]
        pobj = next(
            (
                g
                for c in token.children
                if c.dep_ == "prep" and c.lower_ == preposition
                for g in c.children
                if g.dep_ in {"pobj", "pcomp"}
            ),
            None,
        )
        kind = noun_event(pobj) if pobj is not None else None
        if pobj is not None and kind is None and lemma(pobj) in lexicon.VERBS:
            kind = lexicon.VERBS[lemma(pobj)]  # "resorted to throwing stones"
        if pobj is not None and kind is not None:
            return Trigger(token, kind, pobj)
    if word == "call":
        preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
        if preps & {"on", "for", "upon"}:
            return Trigger(token, EventType.DEMAND, None)  # "called on Iran to ...", "called for talks"
        if not any(c.dep_ in {"oprd", "ccomp", "xcomp"} for c in token.children):
            return Trigger(token, EventType.CONSULT, None)  # "Erdogan called Putin"; not "called X a threat"
        return None
    if word in lexicon.REPORTING_VERBS and obligation_clause(token) is not None:
        return Trigger(token, EventType.DEMAND, None)  # "said that Syria must expel the militants"
    if word == "protest" and any(c.dep_ == "ccomp" for c in token.children):
        return Trigger(token, EventType.DISAPPROVE, None)  # "the union protested that ..."
    if word == "swear" and any(c.dep_ == "prt" for c in token.children):
        return None  # "sworn in as president" is an inauguration, not a vow
    if word in lexicon.READINESS_VERBS and _readies_force(token):
        return Trigger(token, EventType.MOBILIZE, None)  # "the army prepared to resume shelling"
    if word in lexicon.TAKEOVER_VERBS and _takes_territory(token):
        return Trigger(token, EventType.FIGHT, None)  # "troops captured the town": a military gain
    if token.pos_ == "VERB" and word in lexicon.VERBS:
        return Trigger(token, lexicon.VERBS[word], None)
    return None


def complement_clauses(trigger: Trigger) -> list[Token]:
    """The clauses a trigger governs as its content: xcomp always ('refused to deploy'), ccomp for speech acts
    ('demanded that the US cancel'), the obligation clause of a reporting verb ('said Libya must ...')."""
    token = trigger.token
    word = lemma(token)
    clauses: list[Token] = []
    heads = [token] if trigger.noun is None or trigger.noun is token else [token, trigger.noun]
    for head in heads:
        for child in head.children:
            if child.dep_ == "xcomp" or (
                child.dep_ == "ccomp" and (word in lexicon.SPEECH_ACT_VERBS or word in lexicon.PERMISSION_VERBS)
            ):
                clauses.append(child)  # "refused to deploy", "demanded that ...", "allowed Ouattara to run"
            elif (
                head is token
                and word in lexicon.INTENT_VERBS
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
    if word in lexicon.REPORTING_VERBS:
        obligation = obligation_clause(token)
        if obligation is not None:
            clauses.append(obligation)
    return clauses


def obligation_clause(verb: Token) -> Token | None:
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


def phrasal_reversal(token: Token) -> bool:
    """A phrasal verb that ends what its object names ("called off the strike")."""
    particle = lexicon.PHRASAL_REVERSALS.get(lemma(token))
    return particle is not None and any(c.dep_ == "prt" and c.lower_ == particle for c in token.children)


def _has_obligation(clause: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in lexicon.OBLIGATION_MODALS for c in clause.children)


def _ultimatum(token: Token) -> bool:
    """An act announced for the future on a condition the other side must meet ('unless', 'if ... not')."""
    if not any(c.dep_ == "aux" and (c.lower_ in lexicon.MODAL_FUTURE or c.lower_ == "would") for c in token.children):
        return False
    for clause in (c for c in token.children if c.dep_ == "advcl"):
        marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
        if "unless" in marks or ("if" in marks and any(c.dep_ == "neg" for c in clause.children)):
            return True
    return False


def _readies_force(verb: Token) -> bool:
    """'prepared to attack', 'prepared to resume shelling': readiness for an armed act (PLOVER MOBILIZE)."""
    clauses = [c for c in verb.children if c.dep_ == "xcomp"]
    for clause in clauses:
        for token in (clause, *(c for c in clause.children if c.dep_ in {"xcomp", "dobj"})):
            kind = lexicon.VERBS.get(lemma(token)) if token.pos_ == "VERB" else noun_event(token)
            if kind in {EventType.ASSAULT, EventType.FIGHT}:
                return True
    return False


def _takes_territory(verb: Token) -> bool:
    """'captured the town', 'retook part of the stronghold': the object is ground, not people."""
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        heads = [obj, *(g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children)]
        if any(lemma(h) in lexicon.TERRITORY_NOUNS for h in heads):
            return True
    return False
