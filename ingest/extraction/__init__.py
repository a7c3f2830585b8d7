"""Offline, deterministic extraction of actors and typed interactions, one small module per step.

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

The steps, composed in :mod:`.pipeline` (the only module that knows their order):

* :mod:`.sentences`, :mod:`.actors`: sentences, and entity spans to registry actors (a name the registry lacks
  becomes a new actor only with evidence, :mod:`.person_evidence`: not page noise, and for a person a role
  beside the name or a second mention);
* :mod:`.places`: locations of events; places are never actors;
* :mod:`.triggers`: candidate event words from the lexicon and the parse, complement folding;
* :mod:`.type_decision`: the seam where a trigger's type is decided (default: the rule label);
* :mod:`.roles`, :mod:`.phrases`: source and target from the parse;
* :mod:`.modality`, :mod:`.dates`: negation and modality, context, event dates;
* :mod:`.rollup`: agents to the states they act for, domestic vs international; communities (the Druze,
  the Kurds) stay the named agent and act in the country the text places them in (:mod:`.collectives`);
* :mod:`.assembly`: interactions, event keys and ids.
"""

from ingest.extraction.dates import resolve_date
from ingest.extraction.pipeline import Extractor, load_nlp
from ingest.extraction.type_decision import RuleTypes, TypeCandidate, TypeDecider

__all__ = ["Extractor", "RuleTypes", "TypeCandidate", "TypeDecider", "load_nlp", "resolve_date"]
