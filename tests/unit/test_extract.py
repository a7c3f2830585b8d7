"""Extraction behaviours pinned on sentences written for these tests (real spaCy model and registry)."""

from __future__ import annotations

import datetime as dt

import pytest

from core.models import Brief, Interaction, InteractionRecord, Section
from core.registry import ActorRegistry
from graph_schema.ontology import EventMode, EventType
from ingest.extract import Extractor, load_nlp, resolve_date
from services.queries import summarise

pytestmark = pytest.mark.model

DAY = dt.date(2025, 4, 10)


@pytest.fixture(scope="session")
def extractor(registry: ActorRegistry) -> Extractor:
    return Extractor(registry, load_nlp())


def _one(interactions: list[Interaction], source: str, target: str, event_type: EventType | None = None) -> Interaction:
    """The interaction between source and target (either order when undirected), of that type if given."""
    found = [
        i
        for i in interactions
        if (
            (i.source_id, i.target_id) == (source, target)
            or (not i.directed and {i.source_id, i.target_id} == {source, target})
        )
        and (event_type is None or i.event_type is event_type)
    ]
    assert found, [(i.source_id, i.target_id, i.event_type.value, i.trigger) for i in interactions]
    return found[0]


def _brief(brief_id: str, text: str, date: dt.date = DAY) -> Brief:
    return Brief(
        id=brief_id,
        title=brief_id,
        date=date,
        source="test",
        sections=(Section(name="body", text=text),),
        content_hash="",
    )


# ---------------------------------------------------------------------------------------------- roles


def test_compound_actors_holding_talks_are_an_undirected_pair(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Turkish and Israeli officials held talks in Baku on Monday.", DAY)
    talks = _one(found, "ISR", "TUR", EventType.CONSULT)
    assert not talks.directed
    assert talks.location is not None and "Azerbaijan" in talks.location


def test_passive_voice_takes_the_agent_as_source(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Hezbollah positions were struck by Israeli jets overnight.", DAY)
    strike = _one(found, "ISR", "group:hezbollah", EventType.ASSAULT)
    assert strike.directed


def test_possessive_agent_and_demonym_target(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Egypt's foreign minister condemned the Israeli raid.", DAY)
    assert _one(found, "EGY", "ISR", EventType.DISAPPROVE).directed


def test_demonym_official_and_plural_demonym(extractor: Extractor) -> None:
    official = extractor.extract_sentence("A Jordanian official criticised Iran on Sunday.", DAY)
    _one(official, "JOR", "IRN", EventType.DISAPPROVE)
    plural = extractor.extract_sentence("Syrians welcomed the Turkish delegation.", DAY)
    _one(plural, "SYR", "TUR", EventType.SUPPORT)


def test_mediator_is_a_source_not_a_side(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Qatar mediated between Israel and Hamas.", DAY)
    assert {(i.source_id, i.target_id) for i in found} == {("QAT", "ISR"), ("QAT", "group:hamas")}
    assert all(i.directed and i.event_type is EventType.CONSULT for i in found)


# ---------------------------------------------------------------------------------------------- complements


def test_reporting_verb_does_not_hide_the_event(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Iran said it would reject the proposal by the United States.", DAY)
    reject = _one(found, "IRN", "USA", EventType.REJECT)
    assert reject.mode is EventMode.HYPOTHETICAL


def test_intent_to_use_force_is_a_threat_not_an_attack(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Hezbollah vowed to attack Israel.", DAY)
    assert [(i.source_id, i.target_id, i.event_type) for i in found] == [("group:hezbollah", "ISR", EventType.THREATEN)]


def test_demand_addressed_through_a_that_clause(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Turkey demanded that Israel halt its strikes in Syria.", DAY)
    assert _one(found, "TUR", "ISR", EventType.DEMAND)
    assert not any(i.event_type is EventType.RETREAT for i in found)


def test_domestic_event_between_a_state_and_its_protesters(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Egyptian police arrested dozens of protesters in Cairo.", DAY)
    arrest = _one(found, "EGY", "EGY", EventType.COERCE)
    assert arrest.directed


# ---------------------------------------------------------------------------------------------- mode


def test_negation(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Iran did not attend the talks with the United States.", DAY)
    assert _one(found, "IRN", "USA", EventType.CONSULT).mode is EventMode.NEGATED


def test_hypothetical_and_future(extractor: Extractor) -> None:
    talks = extractor.extract_sentence("Talks between Israel and Syria may resume next week.", DAY)
    assert _one(talks, "ISR", "SYR", EventType.CONSULT).mode is EventMode.HYPOTHETICAL
    withdraw = extractor.extract_sentence("Israel will withdraw its troops from Lebanon.", DAY)
    assert _one(withdraw, "ISR", "LBN", EventType.RETREAT).mode is EventMode.FUTURE


# ---------------------------------------------------------------------------------------------- dates, roles, places


def test_relative_date_against_the_brief_date(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Israeli jets struck Hezbollah positions yesterday.", DAY)
    assert _one(found, "ISR", "group:hezbollah", EventType.ASSAULT).date == dt.date(2025, 4, 9)
    assert resolve_date("on Monday", DAY) == dt.date(2025, 4, 7)


def test_official_rolls_up_to_the_state_on_the_date(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Tzachi Hanegbi met Turkish officials in Baku.", DAY)
    meeting = _one(found, "ISR", "TUR", EventType.CONSULT)
    assert meeting.source_agent == "person:tzachi-hanegbi"
    assert meeting.date == DAY


def test_location_of_a_strike(extractor: Extractor) -> None:
    found = extractor.extract_sentence("Israeli aircraft bombed weapons depots near Palmyra in Syria.", DAY)
    strike = _one(found, "ISR", "SYR", EventType.ASSAULT)
    assert strike.location is not None and "Palmyra" in strike.location


def test_extraction_is_deterministic(extractor: Extractor) -> None:
    text = "Turkish and Israeli officials held talks in Baku. Hezbollah vowed to attack Israel."
    first = extractor.extract(_brief("b", text))
    second = extractor.extract(_brief("b", text))
    assert first == second


# ---------------------------------------------------------------------------------------------- corroboration


def test_same_event_in_two_briefs_shares_its_key(extractor: Extractor) -> None:
    """One brief names the official, another the states; one says who met whom, another that both met."""
    reports = [
        extractor.extract(_brief("a", "Tzachi Hanegbi met Turkish officials in Baku on April 9.")),
        extractor.extract(_brief("b", "Israeli officials met their Turkish counterparts in Baku on April 9.")),
        extractor.extract(_brief("c", "Turkish and Israeli officials met in Baku on April 9.")),
    ]
    meetings = [_one(list(r.interactions), "ISR", "TUR", EventType.CONSULT) for r in reports]
    assert {m.date for m in meetings} == {dt.date(2025, 4, 9)}
    assert len({m.event_key for m in meetings}) == 1
    # another day, another type or another dyad is another event
    other_day = extractor.extract(_brief("d", "Tzachi Hanegbi met Turkish officials in Baku on April 2."))
    strike = extractor.extract(_brief("e", "Israeli jets struck Hezbollah positions on April 9."))
    assert _one(list(other_day.interactions), "ISR", "TUR").event_key != meetings[0].event_key
    assert _one(list(strike.interactions), "ISR", "group:hezbollah").event_key != meetings[0].event_key

    records = [
        InteractionRecord(interaction=i, source_name=i.source_id, target_name=i.target_id, brief_title=i.brief_id)
        for i in [*meetings, _one(list(other_day.interactions), "ISR", "TUR")]
    ]
    assert summarise(records).corroborated_events == 1


def test_directed_event_key_keeps_direction(extractor: Extractor) -> None:
    one = extractor.extract(_brief("a", "Israeli jets struck Hezbollah positions on April 9."))
    two = extractor.extract(_brief("b", "Hezbollah positions were struck by Israel on April 9."))
    back = extractor.extract(_brief("c", "Hezbollah fighters struck Israeli positions on April 9."))
    key = _one(list(one.interactions), "ISR", "group:hezbollah").event_key
    assert _one(list(two.interactions), "ISR", "group:hezbollah").event_key == key
    assert _one(list(back.interactions), "group:hezbollah", "ISR").event_key != key
