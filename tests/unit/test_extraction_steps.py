"""Each extraction step on its own, on small sentences written for these tests (real spaCy model and registry);
the whole pipeline is pinned by tests/unit/test_extract.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from spacy.language import Language

from core.models import Actor, Brief, Section
from core.registry import ActorRegistry
from graph_schema.ontology import EventContext, EventMode, EventType
from ingest.extraction import Extractor, RuleTypes, TypeCandidate, load_nlp
from ingest.extraction.actors import ActorFinder
from ingest.extraction.assembly import EventParts, build_interaction, event_key, role_pairs, trigger_text
from ingest.extraction.context import SentenceContext, role, split_role
from ingest.extraction.dates import sentence_date
from ingest.extraction.modality import event_context, event_mode
from ingest.extraction.phrases import PhraseReader
from ingest.extraction.places import PlaceReader
from ingest.extraction.roles import RoleFinder
from ingest.extraction.rollup import RollUp
from ingest.extraction.sentences import read_sentences, sentence_mentions
from ingest.extraction.syntax import lemma, nonstate_sector, noun_event, subject_of
from ingest.extraction.triggers import sentence_triggers
from ingest.extraction.type_decision import ClauseCandidate

pytestmark = pytest.mark.model

DAY = dt.date(2025, 4, 10)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _brief(text: str) -> Brief:
    return Brief(
        id="b-steps", title="", date=DAY, source="test", sections=(Section(name="body", text=text),), content_hash=""
    )


def _sentence(registry: ActorRegistry, nlp: Language, text: str) -> tuple[SentenceContext, dict[str, Actor]]:
    """The first sentence of `text` with its actors and locations, as the pipeline prepares it."""
    actors: dict[str, Actor] = {}
    _, contexts = read_sentences(_brief(text), [nlp(text)], ActorFinder(registry), actors)
    ctx = contexts[0]
    ctx.locations = PlaceReader(registry).sentence_locations(ctx)
    return ctx, actors


def test_sentences_number_across_sections_and_mentions_point_into_them(registry: ActorRegistry, nlp: Language) -> None:
    brief = Brief(
        id="b-two",
        title="",
        date=DAY,
        source="test",
        sections=(Section(name="lead", text="Kenya protested."), Section(name="body", text="Uganda replied. Fine.")),
        content_hash="",
    )
    actors: dict[str, Actor] = {}
    filled, contexts = read_sentences(brief, [nlp(s.text) for s in brief.sections], ActorFinder(registry), actors)
    assert [c.sentence.index for c in contexts] == [0, 1, 2]
    assert [len(s.sentences) for s in filled.sections] == [1, 2]
    mentions = sentence_mentions(contexts)
    assert [(m.actor_id, m.section, m.sentence_index) for m in mentions] == [("KEN", "lead", 0), ("UGA", "body", 1)]
    assert brief.sections[1].text[mentions[1].start : mentions[1].end] == "Uganda"
    assert set(actors) == {"KEN", "UGA"}


def test_actor_finder_keeps_aliases_and_skips_common_noun_phrases(registry: ActorRegistry, nlp: Language) -> None:
    actors: dict[str, Actor] = {}
    found = ActorFinder(registry).find(nlp("Kenyan officials met the umbrella union in Kampala."), DAY, actors)
    assert [(f.actor_id, f.surface) for f in found][:1] == [("KEN", "Kenyan")]
    assert all(not f.actor_id.startswith(("person:", "org:")) for f in found)
    assert "KEN" in actors


def test_places_locate_and_name_their_country(registry: ActorRegistry, nlp: Language) -> None:
    ctx, _ = _sentence(registry, nlp, "The Kenyan foreign minister met his Ugandan counterpart in Nairobi.")
    assert ctx.locations == ["Kenya"]
    assert PlaceReader(registry).location_country(ctx) == "KEN"


def test_syntax_readings(nlp: Language) -> None:
    doc = nlp("Sudanese rebels agreed to hold talks.")
    rebels, agreed, hold, talks = doc[1], doc[2], doc[4], doc[5]
    assert lemma(agreed) == "agree"
    subject = subject_of(hold)  # up the clause chain
    assert subject is not None and subject.i == rebels.i
    assert nonstate_sector(rebels) == "rebels"
    assert noun_event(talks) is EventType.CONSULT


def test_triggers_fold_a_conflictual_complement_into_a_threat(nlp: Language) -> None:
    triggers = sentence_triggers(nlp("Chad vowed to attack the rebels.")[:])
    assert len(triggers) == 1
    assert triggers[0].token.text == "vowed"
    assert triggers[0].event_type is EventType.THREATEN
    assert [c.token.text for c in triggers[0].complements] == ["attack"]


def test_light_verb_trigger_names_its_event_noun(nlp: Language) -> None:
    (trigger,) = sentence_triggers(nlp("Kenya imposed sanctions on Uganda.")[:])
    assert (trigger.event_type, trigger_text(trigger)) == (EventType.SANCTION, "imposed sanctions")


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Kenya did not sign the trade deal with Uganda.", EventMode.NEGATED),
        ("Uganda may impose sanctions on Kenya.", EventMode.HYPOTHETICAL),
        ("Uganda will send troops to Kenya.", EventMode.FUTURE),
        ("Uganda sent troops to Kenya.", EventMode.ASSERTED),
    ],
)
def test_mode(nlp: Language, text: str, mode: EventMode) -> None:
    (trigger,) = sentence_triggers(nlp(text)[:])
    assert event_mode(trigger.token) is mode


def test_violence_stays_military_whatever_the_sentence_mentions(nlp: Language) -> None:
    span = nlp("Rebels attacked the trade ministry.")[:]
    assert event_context(EventType.ASSAULT, span) is EventContext.MILITARY


def test_sentence_date_prefers_a_named_day(nlp: Language) -> None:
    assert sentence_date(nlp("Kenya protested on 3 March.")[:], DAY) == dt.date(2025, 3, 3)
    assert sentence_date(nlp("Kenya protested.")[:], DAY) == DAY


def _roles(registry: ActorRegistry, nlp: Language, text: str) -> tuple[list[str], list[str], bool]:
    ctx, _ = _sentence(registry, nlp, text)
    places = PlaceReader(registry)
    finder = RoleFinder(registry, places, PhraseReader(registry, places))
    (trigger,) = sentence_triggers(ctx.span)
    roles = finder.roles(trigger, ctx, None)
    assert roles is not None
    return roles.sources, roles.targets, roles.symmetric


def test_roles_subject_and_object(registry: ActorRegistry, nlp: Language) -> None:
    assert _roles(registry, nlp, "Kenya accused Uganda of smuggling weapons.") == (["KEN"], ["UGA"], False)


def test_roles_nationality_of_a_nonstate_agent_is_its_sector(registry: ActorRegistry, nlp: Language) -> None:
    sources, targets, _ = _roles(registry, nlp, "Sudanese rebels attacked a police station in Darfur.")
    assert sources == [role("SDN", "rebels")]
    assert targets == ["SDN"]  # the country where the attack happened


def test_roles_between_names_both_sides_of_a_mutual_event(registry: ActorRegistry, nlp: Language) -> None:
    sources, targets, symmetric = _roles(registry, nlp, "Talks between Kenya and Uganda resumed.")
    assert (sorted(sources), targets, symmetric) == (["KEN", "UGA"], [], True)


def test_rollup_keeps_a_domestic_event_between_sectors_and_drops_one_side(
    registry: ActorRegistry, nlp: Language
) -> None:
    ctx, actors = _sentence(registry, nlp, "Kenyan police detained striking teachers.")
    rollup = RollUp(registry, PlaceReader(registry))
    sides = rollup.sides("KEN", role("KEN", "labor"), EventType.COERCE, DAY, ctx, actors)
    assert sides is not None and (sides.source, sides.target) == ("KEN", "KEN")
    assert rollup.sides("KEN", "KEN", EventType.COERCE, DAY, ctx, actors) is None
    assert split_role(role("KEN", "labor")) == ("KEN", "labor")


def test_role_pairs_and_event_key_direction() -> None:
    assert role_pairs(["A"], ["B", "A"], False) == [("A", "B", True)]
    assert role_pairs(["B", "A", "C"], [], True) == [("A", "B", False), ("A", "C", False), ("B", "C", False)]
    assert role_pairs(["A"], [], True) == []
    # mutual types ignore direction; directed ones do not
    assert event_key("KEN", "UGA", True, EventType.CONSULT, DAY) == event_key(
        "UGA", "KEN", True, EventType.CONSULT, DAY
    )
    assert event_key("KEN", "UGA", True, EventType.ASSAULT, DAY) != event_key(
        "UGA", "KEN", True, EventType.ASSAULT, DAY
    )


def test_undirected_interaction_orders_its_sides_with_their_agents(registry: ActorRegistry, nlp: Language) -> None:
    ctx, _ = _sentence(registry, nlp, "Uganda and Kenya held talks.")
    parts = EventParts(EventType.CONSULT, EventMode.ASSERTED, EventContext.DIPLOMATIC, DAY, None, "held talks")
    interaction = build_interaction(_brief("x"), ctx, "UGA", "KEN", False, parts, "person:a", None)
    assert (interaction.source_id, interaction.target_id) == ("KEN", "UGA")
    assert (interaction.source_agent, interaction.target_agent) == (None, "person:a")
    again = build_interaction(_brief("x"), ctx, "KEN", "UGA", False, parts, None, "person:a")
    assert again.id == interaction.id


class _Everything:
    """A decider that types every trigger as one type."""

    def __init__(self, event_type: EventType) -> None:
        self.event_type = event_type
        self.calls: list[int] = []

    def decide_types(self, candidates: Sequence[TypeCandidate]) -> list[EventType]:
        self.calls.append(len(candidates))
        return [self.event_type for _ in candidates]

    def decide_new(self, clauses: Sequence[ClauseCandidate]) -> list[EventType | None]:
        return [None for _ in clauses]


def test_type_decider_is_asked_once_per_brief_and_its_type_is_kept(registry: ActorRegistry, nlp: Language) -> None:
    text = (
        "Kenya accused Uganda of smuggling weapons. Uganda rejected the claim. Tanzania sent aid to Malawi. "
        "Nothing else happened."
    )
    decider = _Everything(EventType.CONSULT)
    extracted = Extractor(registry, nlp, types=decider).extract(_brief(text))
    # one batch of the triggers that name actors and have sides ("rejected the claim" names no other side)
    assert decider.calls == [2]
    assert extracted.interactions
    assert {i.event_type for i in extracted.interactions} == {EventType.CONSULT}


def test_rule_types_keep_the_rule_label(registry: ActorRegistry, nlp: Language) -> None:
    text = "Kenya accused Uganda of smuggling weapons."
    default = Extractor(registry, nlp).extract(_brief(text))
    explicit = Extractor(registry, nlp, types=RuleTypes()).extract(_brief(text))
    assert default == explicit
    assert [i.event_type for i in default.interactions] == [EventType.DISAPPROVE]


def test_a_decider_that_loses_candidates_is_an_error(registry: ActorRegistry, nlp: Language) -> None:
    class Short:
        def decide_types(self, candidates: Sequence[TypeCandidate]) -> list[EventType]:
            return []

    with pytest.raises(ValueError, match="type decider"):
        Extractor(registry, nlp, types=Short()).extract(_brief("Kenya accused Uganda of smuggling weapons."))
